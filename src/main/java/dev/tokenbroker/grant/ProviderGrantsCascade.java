package dev.tokenbroker.grant;

import dev.tokenbroker.api.ApiException;
import dev.tokenbroker.api.ProblemCodes;
import dev.tokenbroker.ops.AfterCommit;
import dev.tokenbroker.ops.DaemonThreads;
import dev.tokenbroker.provider.ProviderDeleting;
import dev.tokenbroker.provider.ProviderRegistry;
import dev.tokenbroker.provider.ProviderSettings;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.ws.rs.core.Response;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.jboss.logging.Logger;

/**
 * The grants of a provider being deleted: refused (409) without {@code cascade}; otherwise deleted
 * with it, and their refresh tokens revoked upstream (RFC 7009) once the delete has committed, so
 * that they do not stay valid at the provider.
 */
@ApplicationScoped
public class ProviderGrantsCascade {

  private static final Logger LOG = Logger.getLogger(ProviderGrantsCascade.class);

  private final GrantStore store;
  private final GrantSecrets secrets;
  private final ProviderRegistry providers;
  private final RefreshTokenRevoker revoker;
  private final AfterCommit afterCommit;
  private final ExecutorService revocations =
      Executors.newSingleThreadExecutor(DaemonThreads.named("cascade-revocation"));

  public ProviderGrantsCascade(
      GrantStore store,
      GrantSecrets secrets,
      ProviderRegistry providers,
      RefreshTokenRevoker revoker,
      AfterCommit afterCommit) {
    this.store = store;
    this.secrets = secrets;
    this.providers = providers;
    this.revoker = revoker;
    this.afterCommit = afterCommit;
  }

  void onProviderDeleting(@Observes ProviderDeleting deleting) {
    String providerId = deleting.providerId();
    long count = store.countOf(providerId);
    if (count > 0 && !deleting.cascade()) {
      throw new ApiException(
          Response.Status.CONFLICT,
          ProblemCodes.PROVIDER_IN_USE,
          "Provider "
              + providerId
              + " has "
              + count
              + " grant(s); delete them or use ?cascade=true");
    }
    if (count == 0) {
      return;
    }
    ProviderSettings provider = providers.find(providerId).orElse(null);
    List<GrantEntity> deleted = store.deleteAllOf(providerId);
    deleting.grantsDeleted(deleted.size());
    if (provider == null || provider.definition().revocationUrl() == null) {
      return;
    }
    List<String[]> toRevoke = new ArrayList<>();
    for (GrantEntity grant : deleted) {
      if (grant.refreshTokenCiphertext != null) {
        toRevoke.add(new String[] {grant.id, secrets.openRefreshToken(grant)});
      }
    }
    afterCommit.run(() -> revocations.execute(() -> revokeAll(provider, toRevoke)));
  }

  private void revokeAll(ProviderSettings provider, List<String[]> grants) {
    int revoked = 0;
    for (String[] grant : grants) {
      if ("revoked upstream".equals(revoker.revoke(provider, grant[0], grant[1]))) {
        revoked++;
      }
    }
    LOG.infof(
        "Revoked %d of %d refresh tokens of deleted provider %s upstream",
        revoked, grants.size(), provider.id());
  }
}
