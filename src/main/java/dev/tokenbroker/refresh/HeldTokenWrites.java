package dev.tokenbroker.refresh;

import dev.tokenbroker.grant.GrantStore;
import dev.tokenbroker.grant.TokenWrite;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * Refreshed tokens the database did not accept. The upstream may already have rotated the refresh
 * token, so the new one exists only here: it is written as soon as the database takes it, and until
 * then this replica refuses to refresh that grant again (no reuse of the old one).
 */
@ApplicationScoped
public class HeldTokenWrites {

  private static final Logger LOG = Logger.getLogger(HeldTokenWrites.class);

  private final GrantStore store;
  private final Map<String, Held> held = new ConcurrentHashMap<>();

  public HeldTokenWrites(GrantStore store) {
    this.store = store;
  }

  void hold(String grantId, long expectedVersion, TokenWrite tokens) {
    held.put(grantId, new Held(expectedVersion, tokens));
  }

  /** True when nothing is held for the grant (any held write was stored just now). */
  boolean flush(String grantId) {
    Held pending = held.get(grantId);
    if (pending == null) {
      return true;
    }
    try {
      boolean stored = store.storeRefreshed(grantId, pending.expectedVersion(), pending.tokens());
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
          "Database still refuses the refresh result of grant %s (%s)",
          grantId, stillFailing.getClass().getSimpleName());
      return false;
    }
  }

  @Scheduled(
      every = "${broker.refresh.held-write-retry:2s}",
      concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
  void retryAll() {
    held.keySet().forEach(this::flush);
  }

  private record Held(long expectedVersion, TokenWrite tokens) {}
}
