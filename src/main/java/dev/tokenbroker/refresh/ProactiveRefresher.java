package dev.tokenbroker.refresh;

import dev.tokenbroker.grant.GrantStore;
import dev.tokenbroker.provider.ProviderRegistry;
import dev.tokenbroker.provider.ProviderSettings;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jboss.logging.Logger;

/**
 * Refreshes grants that came due before any caller has to wait. Each scan reads the ids of the most
 * overdue active grants that nobody leases; the lease then decides which replica refreshes each
 * one, so N replicas share the work without duplicates.
 */
@ApplicationScoped
public class ProactiveRefresher {

  private static final Logger LOG = Logger.getLogger(ProactiveRefresher.class);

  private final GrantStore store;
  private final GrantRefresher refresher;
  private final RefreshConfig.Proactive config;
  private final ThreadPoolExecutor workers;
  private final ProviderRegistry providers;
  private final Map<String, Slots> perProvider = new ConcurrentHashMap<>();
  private final AtomicInteger refreshed = new AtomicInteger();
  private final Set<String> queued = ConcurrentHashMap.newKeySet();
  private volatile boolean scanned;

  /** A provider's {@code max_concurrent_refreshes} as a semaphore; replaced when it changes. */
  private record Slots(int limit, Semaphore semaphore) {}

  public ProactiveRefresher(
      GrantStore store,
      GrantRefresher refresher,
      ProviderRegistry providers,
      RefreshConfig config) {
    this.store = store;
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
            new ArrayBlockingQueue<>(this.config.batchSize()),
            r -> {
              Thread t = new Thread(r, "proactive-refresh-" + threads.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
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
    int capacity = workers.getQueue().remainingCapacity();
    if (capacity == 0) {
      return;
    }
    for (Object[] due : store.dueGrants(Math.min(capacity, config.batchSize()))) {
      String grantId = (String) due[0];
      if (!queued.add(grantId)) {
        continue;
      }
      Semaphore slots = slotsOf((String) due[1]);
      try {
        workers.execute(() -> refreshQueued(grantId, slots));
      } catch (RejectedExecutionException full) {
        queued.remove(grantId);
        return;
      }
    }
  }

  private Semaphore slotsOf(String providerId) {
    int limit = providers.find(providerId).map(ProviderSettings::maxConcurrentRefreshes).orElse(1);
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
    }
  }

  /** Grants this replica refreshed proactively since start. */
  public int refreshedCount() {
    return refreshed.get();
  }

  void stop(@Observes ShutdownEvent event) {
    workers.shutdownNow();
    LOG.debugf("Proactive refresher stopped after %d refreshes", refreshed.get());
  }
}
