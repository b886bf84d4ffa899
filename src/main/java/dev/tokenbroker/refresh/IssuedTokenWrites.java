package dev.tokenbroker.refresh;

import dev.tokenbroker.grant.GrantSecrets;
import dev.tokenbroker.grant.TokenWrite;
import dev.tokenbroker.provider.ProviderSettings;
import dev.tokenbroker.upstream.IssuedTokens;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Turns what a token endpoint issued into the sealed row write of a grant, with its next refresh
 * time: one rule for a refresh and for a new authorization.
 */
@ApplicationScoped
public class IssuedTokenWrites {

  private final GrantSecrets secrets;
  private final RefreshConfig config;

  public IssuedTokenWrites(GrantSecrets secrets, RefreshConfig config) {
    this.secrets = secrets;
    this.config = config;
  }

  /**
   * @param scopeIfUnsaid the access token's scope when the answer named none
   * @param refreshable whether the grant holds a refresh token after this write
   */
  public TokenWrite of(
      ProviderSettings provider,
      String grantId,
      IssuedTokens tokens,
      String scopeIfUnsaid,
      boolean refreshable) {
    GrantSecrets.Sealed sealed = secrets.seal(grantId, tokens.accessToken(), tokens.refreshToken());
    return new TokenWrite(
        sealed.accessToken(),
        sealed.refreshToken(),
        tokens.scope() != null ? tokens.scope() : scopeIfUnsaid,
        tokens.issuedAt(),
        tokens.expiresAt(),
        RefreshSchedule.nextRefreshAt(
            provider,
            tokens.issuedAt(),
            tokens.expiresAt(),
            refreshable,
            config.jitter(),
            ThreadLocalRandom.current()));
  }
}
