package dev.tokenbroker.refresh;

import dev.tokenbroker.api.Ids;
import dev.tokenbroker.grant.GrantLease;
import dev.tokenbroker.grant.GrantStore;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * Takes this replica's refresh leases and keeps them alive (ADR 7): a lease is short ({@code
 * broker.refresh.lease-duration}, 2 s) and renewed every {@code broker.refresh.lease-renewal} while
 * its holder works, so a replica that dies loses its leases within about a second or two, while a
 * slow provider call never lets another replica in.
 */
@ApplicationScoped
public class RefreshLeases {

  private static final Logger LOG = Logger.getLogger(RefreshLeases.class);

  private final GrantStore store;
  private final RefreshConfig config;
  private final String owner = Ids.newId("replica");
  private final Set<String> held = ConcurrentHashMap.newKeySet();

  public RefreshLeases(GrantStore store, RefreshConfig config) {
    this.store = store;
    this.config = config;
  }

  /** The lease on the grant, unless another replica holds it. */
  public Optional<GrantLease> tryLease(String grantId) {
    Optional<GrantLease> lease =
        store.tryLease(
            grantId, owner, config.leaseDuration(), ended -> held.remove(ended.grantId()));
    lease.ifPresent(l -> held.add(l.grantId()));
    return lease;
  }

  @Scheduled(
      every = "${broker.refresh.lease-renewal:500ms}",
      concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
  void renew() {
    if (held.isEmpty()) {
      return;
    }
    List<String> ids = List.copyOf(held);
    try {
      int renewed = store.renewLeases(ids, owner, config.leaseDuration());
      if (renewed < ids.size()) {
        LOG.warnf(
            "%d of %d refresh leases of this replica were lost (expired and taken over)",
            ids.size() - renewed, ids.size());
      }
    } catch (RuntimeException databaseDown) {
      LOG.debugf("Could not renew refresh leases: %s", databaseDown.getClass().getSimpleName());
    }
  }
}
