package dev.tokenbroker.refresh;

import dev.tokenbroker.grant.TokenWrite;
import dev.tokenbroker.refresh.lease.GrantLease;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * Refreshed tokens that could not be stored: the database refused them, or the crypto backend
 * (Vault) could not seal them. The upstream may already have rotated the refresh token, so the new
 * one exists only here. It is sealed and written as soon as possible; until then this replica keeps
 * (renews) the grant's lease, so no replica refreshes it again with the old refresh token.
 */
@ApplicationScoped
public class HeldTokenWrites {

  private static final Logger LOG = Logger.getLogger(HeldTokenWrites.class);

  private final Map<String, Held> held = new ConcurrentHashMap<>();

  /** Holds a result; {@code seal} encrypts it (again) when it is written. */
  void hold(GrantLease lease, Supplier<TokenWrite> seal) {
    held.put(lease.grantId(), new Held(lease, seal));
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
      boolean stored = pending.lease().store(sealed);
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
        TokenWrite once = sealed;
        held.replace(grantId, pending, new Held(pending.lease(), () -> once));
      }
      return false;
    }
  }

  @Scheduled(
      every = "${broker.refresh.held-write-retry:2s}",
      concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
  void retryAll() {
    held.keySet().forEach(this::flush);
  }

  private record Held(GrantLease lease, Supplier<TokenWrite> seal) {}
}
