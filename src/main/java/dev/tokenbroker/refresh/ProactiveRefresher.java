package dev.tokenbroker.refresh;

import dev.tokenbroker.ops.DaemonThreads;
import dev.tokenbroker.provider.ProviderRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import org.jboss.logging.Logger;

/**
 * Refreshes grants that came due before any caller has to wait. Each scan claims the most overdue
 * active grants that nobody leases or claims, in one transaction, so N replicas share the work
 * without reading the same grants; the lease then decides who refreshes each one. While more are
 * due, the queue is refilled as soon as it is half empty, not at the next scan.
 */
@ApplicationScoped
public class ProactiveRefresher {

  private static final Logger LOG = Logger.getLogger(ProactiveRefresher.class);

  private final RefreshLeases leases;
  private final GrantRefresher refresher;
  private final RefreshConfig.Proactive config;
  private final ThreadPoolExecutor workers;
  private final ProviderRegistry providers;
  private final Map<String, Slots> perProvider = new ConcurrentHashMap<>();
  private final AtomicInteger refreshed = new AtomicInteger();
  private final Set<String> queued = ConcurrentHashMap.newKeySet();
  private final ReentrantLock scanning = new ReentrantLock();
  private final AtomicBoolean moreDue = new AtomicBoolean();
  private final AtomicBoolean refillPending = new AtomicBoolean();
  private final ExecutorService refills;
  private volatile boolean scanned;

  /** A provider's {@code max_concurrent_refreshes} as a semaphore; replaced when it changes. */
  private record Slots(int limit, Semaphore semaphore) {}

  public ProactiveRefresher(
      RefreshLeases leases,
      GrantRefresher refresher,
      ProviderRegistry providers,
      RefreshConfig config) {
    this.leases = leases;
    this.providers = providers;
    this.refresher = refresher;
    this.config = config.proactive();
    AtomicInteger threads = new AtomicInteger();
    this.workers =
        new ThreadPoolExecutor(
            this.config.concurrency(),
            this.config.concurrency(),
            30,
            TimeUnit.SECONDS,
            new ArrayBlockingQueue<>(2 * this.config.batchSize()),
            DaemonThreads.named(() -> "proactive-refresh-" + threads.incrementAndGet()));
    this.refills = Executors.newSingleThreadExecutor(DaemonThreads.named("proactive-refill"));
  }

  @Scheduled(
      every = "${broker.refresh.proactive.scan-interval:5s}",
      concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
  void scan() {
    if (!config.enabled()) {
      return;
    }
    try {
      queueDue();
      scanned = true;
    } catch (RuntimeException databaseDown) {
      LOG.debugf("Due grants not read: %s", databaseDown.getClass().getSimpleName());
    }
  }

  /** Whether this replica has looked for due grants at least once (readiness). */
  public boolean scanned() {
    return scanned || !config.enabled();
  }

  private void queueDue() {
    if (!scanning.tryLock()) {
      return;
    }
    try {
      int room = Math.min(workers.getQueue().remainingCapacity(), config.batchSize());
      if (room == 0) {
        return;
      }
      List<Object[]> claimed = leases.claimDue(room);
      moreDue.set(claimed.size() == room);
      for (Object[] due : claimed) {
        String grantId = (String) due[0];
        if (!queued.add(grantId)) {
          continue;
        }
        Semaphore slots = slotsOf((String) due[1]);
        try {
          workers.execute(() -> refreshQueued(grantId, slots));
        } catch (RejectedExecutionException full) {
          queued.remove(grantId);
          leases.unclaim(grantId);
        }
      }
    } finally {
      scanning.unlock();
    }
  }

  /** Claims the next batch at once when the queue is half empty and the last scan left some due. */
  private void refillIfMoreDue() {
    if (moreDue.get()
        && workers.getQueue().size() <= config.batchSize() / 2
        && refillPending.compareAndSet(false, true)) {
      refills.execute(
          () -> {
            refillPending.set(false);
            scan();
          });
    }
  }

  private Semaphore slotsOf(String providerId) {
    int limit =
        providers.find(providerId).map(p -> p.definition().maxConcurrentRefreshes()).orElse(1);
    return perProvider
        .compute(
            providerId,
            (id, slots) ->
                slots != null && slots.limit() == limit
                    ? slots
                    : new Slots(limit, new Semaphore(limit)))
        .semaphore();
  }

  /** Waits for one of the provider's slots, so one busy provider cannot take every worker. */
  private void refreshQueued(String grantId, Semaphore slots) {
    try {
      slots.acquireUninterruptibly();
      try {
        if (refresher.refreshIfDue(grantId)) {
          refreshed.incrementAndGet();
        }
      } finally {
        slots.release();
      }
    } finally {
      queued.remove(grantId);
      leases.unclaim(grantId);
      refillIfMoreDue();
    }
  }

  /** Grants this replica refreshed proactively since start. */
  public int refreshedCount() {
    return refreshed.get();
  }

  /** The first scan runs at start, not at the scheduler's first tick, so readiness is not late. */
  void scanAtStart(@Observes StartupEvent event) {
    refills.execute(this::scan);
  }

  void stop(@Observes ShutdownEvent event) {
    refills.shutdownNow();
    workers.shutdownNow();
    LOG.debugf("Proactive refresher stopped after %d refreshes", refreshed.get());
  }
}
