package dev.tokenbroker.refresh;

import dev.tokenbroker.grant.GrantStore;
import dev.tokenbroker.grant.TokenWrite;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * Refreshed tokens that could not be stored: the database refused them, or the crypto backend
 * (Vault) could not seal them. The upstream may already have rotated the refresh token, so the new
 * one exists only here. It is sealed and written as soon as possible; until then this replica
 * renews the grant's lease, so no replica refreshes it again with the old refresh token.
 */
@ApplicationScoped
public class HeldTokenWrites {

  private static final Logger LOG = Logger.getLogger(HeldTokenWrites.class);

  private final GrantStore store;
  private final Map<String, Held> held = new ConcurrentHashMap<>();

  public HeldTokenWrites(GrantStore store) {
    this.store = store;
  }

  /** Holds a result; {@code seal} encrypts it (again) when it is written. */
  void hold(
      String grantId,
      long expectedVersion,
      Supplier<TokenWrite> seal,
      String leaseOwner,
      Duration lease) {
    held.put(grantId, new Held(expectedVersion, seal, leaseOwner, lease));
  }

  /** True when nothing is held for the grant (any held write was stored just now). */
  boolean flush(String grantId) {
    Held pending = held.get(grantId);
    if (pending == null) {
      return true;
    }
    TokenWrite sealed = null;
    try {
      sealed = pending.seal().get();
      boolean stored = store.storeRefreshed(grantId, pending.expectedVersion(), sealed);
      held.remove(grantId, pending);
      if (stored) {
        LOG.infof("Stored the held refresh result of grant %s", grantId);
      } else {
        LOG.errorf(
            "Grant %s changed while its refresh result was held; its rotated refresh token is"
                + " lost and the grant will need reauthorization if the provider rotates tokens",
            grantId);
      }
      return true;
    } catch (RuntimeException stillFailing) {
      LOG.warnf(
          "Still cannot store the refresh result of grant %s (%s)",
          grantId, stillFailing.getClass().getSimpleName());
      if (sealed != null) {
        // sealed once is enough: later attempts only retry the database write
        held.replace(grantId, pending, pending.withSealed(sealed));
      }
      renewLease(grantId, pending);
      return false;
    }
  }

  private void renewLease(String grantId, Held pending) {
    try {
      if (!store.renewLease(grantId, pending.leaseOwner(), pending.lease())) {
        LOG.errorf("Lost the lease of grant %s while holding its refresh result", grantId);
      }
    } catch (RuntimeException databaseDown) {
      // nobody else can take the lease while the database is down either
    }
  }

  @Scheduled(
      every = "${broker.refresh.held-write-retry:2s}",
      concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
  void retryAll() {
    held.keySet().forEach(this::flush);
  }

  private record Held(
      long expectedVersion, Supplier<TokenWrite> seal, String leaseOwner, Duration lease) {

    Held withSealed(TokenWrite sealed) {
      return new Held(expectedVersion, () -> sealed, leaseOwner, lease);
    }
  }
}
