package dev.tokenbroker.authorization;

import dev.tokenbroker.grant.GrantCache;
import dev.tokenbroker.grant.GrantSecrets;
import dev.tokenbroker.grant.GrantStore;
import dev.tokenbroker.grant.RefreshTokenRevoker;
import dev.tokenbroker.provider.ProviderSettings;
import dev.tokenbroker.provider.Scopes;
import dev.tokenbroker.refresh.IssuedTokenWrites;
import dev.tokenbroker.upstream.IssuedTokens;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.util.List;
import org.jboss.logging.Logger;

/** Stores the tokens of an authorization as the subject's grant, new or replaced. */
@ApplicationScoped
public class AuthorizedGrants {

  private static final Logger LOG = Logger.getLogger(AuthorizedGrants.class);

  private final GrantStore grants;
  private final GrantSecrets secrets;
  private final IssuedTokenWrites writes;
  private final GrantCache cache;
  private final RefreshTokenRevoker revoker;

  public AuthorizedGrants(
      GrantStore grants,
      GrantSecrets secrets,
      IssuedTokenWrites writes,
      GrantCache cache,
      RefreshTokenRevoker revoker) {
    this.grants = grants;
    this.secrets = secrets;
    this.writes = writes;
    this.cache = cache;
    this.revoker = revoker;
  }

  /**
   * Writes the grant in the current or a new transaction; {@code newId} is the id a new grant gets
   * (null: a fresh one). Call {@link #written} once it is committed.
   */
  @Transactional
  GrantStore.Upserted write(
      ProviderSettings provider,
      String subject,
      String requestedScopes,
      IssuedTokens tokens,
      String newId) {
    List<String> granted = Scopes.parse(tokens.scope() != null ? tokens.scope() : requestedScopes);
    return grants.upsert(
        provider.id(),
        subject,
        granted,
        newId,
        id -> writes.of(provider, id, tokens, Scopes.join(granted), tokens.refreshToken() != null));
  }

  /** After the commit: no stale cache entry, and the replaced refresh token revoked upstream. */
  void written(ProviderSettings provider, GrantStore.Upserted stored) {
    String grantId = stored.grant().id;
    cache.evict(provider.id(), stored.grant().subject);
    if (stored.replacedRefreshTokenCiphertext() != null) {
      revoker.revoke(
          provider,
          grantId,
          secrets.openRefreshToken(grantId, stored.replacedRefreshTokenCiphertext()));
    }
    LOG.infof("Stored grant %s for provider %s after authorization", grantId, provider.id());
  }
}
