package dev.tokenbroker.grant;

import dev.tokenbroker.api.ApiException;
import dev.tokenbroker.provider.ProviderSettings;
import dev.tokenbroker.upstream.UpstreamException;
import dev.tokenbroker.upstream.UpstreamTokenClient;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

/**
 * Revokes refresh tokens the broker gives up at the provider (RFC 7009), where it offers a
 * revocation endpoint: a deleted grant's, and one replaced by a new authorization.
 */
@ApplicationScoped
public class RefreshTokenRevoker {

  private static final Logger LOG = Logger.getLogger(RefreshTokenRevoker.class);

  private final UpstreamTokenClient upstream;

  public RefreshTokenRevoker(UpstreamTokenClient upstream) {
    this.upstream = upstream;
  }

  /** Revokes {@code refreshToken} of the grant and says what happened (for the audit trail). */
  public String revoke(ProviderSettings provider, String grantId, String refreshToken) {
    if (refreshToken == null || provider.definition().revocationUrl() == null) {
      return "not revoked upstream: no refresh token or no revocation endpoint";
    }
    try {
      upstream.revokeRefreshToken(provider, refreshToken);
      LOG.infof("Revoked a refresh token of grant %s at %s", grantId, provider.id());
      return "revoked upstream";
    } catch (UpstreamException e) {
      LOG.warnf(
          "Revocation of a refresh token of grant %s at %s failed (%s)",
          grantId, provider.id(), e.errorCode());
      return "upstream revocation failed: " + e.errorCode();
    } catch (ApiException refused) {
      LOG.warnf(
          "Revocation of a refresh token of grant %s at %s not sent: %s",
          grantId, provider.id(), refused.getMessage());
      return "not revoked upstream: " + refused.code();
    }
  }
}
