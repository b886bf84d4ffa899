package dev.tokenbroker.refresh;

import dev.tokenbroker.api.Ids;
import dev.tokenbroker.refresh.lease.GrantLease;
import dev.tokenbroker.refresh.lease.LeaseStore;
import dev.tokenbroker.refresh.lease.RefreshLocks;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Takes this replica's refresh leases and keeps them alive (ADR 7): a lease is short ({@code
 * broker.refresh.lease-duration}, 2 s) and renewed every {@code broker.refresh.lease-renewal} (500
 * ms) while its holder works, so a replica that dies loses its leases within about 2 s, while a
 * slow provider call never lets another replica in. Renewal runs on its own thread, so that no busy
 * pool can delay it.
 */
@ApplicationScoped
public class RefreshLeases {

  private static final Logger LOG = Logger.getLogger(RefreshLeases.class);

  private final LeaseStore store;
  private final RefreshLocks locks;
  private final RefreshConfig config;
  private final String owner = Ids.newId("replica");
  private final Set<String> held = ConcurrentHashMap.newKeySet();
  private final Set<String> claimed = ConcurrentHashMap.newKeySet();
  private final ScheduledExecutorService renewals =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "lease-renewal");
            t.setDaemon(true);
            t.setPriority(Thread.MAX_PRIORITY);
            return t;
          });

  public RefreshLeases(LeaseStore store, RefreshLocks locks, RefreshConfig config) {
    this.store = store;
    this.locks = locks;
    this.config = config;
  }

  /** The lease on the grant, unless another holder, here or on another replica, has it. */
  public Optional<GrantLease> tryLease(String grantId) {
    if (!locks.tryLock(grantId)) {
      return Optional.empty();
    }
    Optional<GrantLease> lease = Optional.empty();
    try {
      lease =
          store.tryLease(grantId, owner, config.leaseDuration(), locks.crossReplica(), this::ended);
      lease.ifPresent(l -> held.add(l.grantId()));
      return lease;
    } finally {
      if (lease.isEmpty()) {
        locks.unlock(grantId);
      }
    }
  }

  /**
   * Claims up to {@code limit} due grants for this replica's scheduler (their id and provider id),
   * kept alive like leases until {@link #unclaim} or until a worker takes the lease.
   */
  public List<Object[]> claimDue(int limit) {
    List<Object[]> due = store.claimDue(owner, config.leaseDuration(), limit);
    due.forEach(row -> claimed.add((String) row[0]));
    return due;
  }

  /** The scheduler is done with a claimed grant; an unrenewed claim runs out within a lease. */
  public void unclaim(String grantId) {
    claimed.remove(grantId);
  }

  private void ended(GrantLease lease) {
    held.remove(lease.grantId());
    locks.unlock(lease.grantId());
  }

  void start(@Observes StartupEvent event) {
    long every = config.leaseRenewal().toMillis();
    renewals.scheduleWithFixedDelay(this::renew, every, every, TimeUnit.MILLISECONDS);
  }

  void stop(@Observes ShutdownEvent event) {
    renewals.shutdownNow();
  }

  void renew() {
    try {
      if (!claimed.isEmpty()) {
        store.renewClaims(List.copyOf(claimed), owner, config.leaseDuration());
      }
      if (held.isEmpty()) {
        return;
      }
      List<String> ids = List.copyOf(held);
      int renewed = store.renewLeases(ids, owner, config.leaseDuration());
      // leases that ended during the UPDATE are no loss; the others were taken over
      long stillHeld = ids.stream().filter(held::contains).count();
      if (renewed < stillHeld) {
        LOG.warnf(
            "%d refresh lease(s) of this replica ran out before renewal and were taken over",
            stillHeld - renewed);
      }
    } catch (RuntimeException databaseDown) {
      LOG.debugf("Could not renew refresh leases: %s", databaseDown.getClass().getSimpleName());
    }
  }
}
