package dev.tokenbroker.grant;

import dev.tokenbroker.crypto.SecretBinding;
import dev.tokenbroker.crypto.SecretCipher;
import dev.tokenbroker.provider.Scopes;
import jakarta.enterprise.context.ApplicationScoped;

/** Seals and opens a grant's tokens, each bound to the grant id and its column. */
@ApplicationScoped
public class GrantSecrets {

  private final SecretCipher cipher;

  public GrantSecrets(SecretCipher cipher) {
    this.cipher = cipher;
  }

  public String sealRefreshToken(String grantId, String token) {
    return token == null ? null : cipher.encrypt(token, refreshBinding(grantId));
  }

  public String sealAccessToken(String grantId, String token) {
    return token == null ? null : cipher.encrypt(token, accessBinding(grantId));
  }

  public String openRefreshToken(GrantEntity grant) {
    return grant.refreshTokenCiphertext == null
        ? null
        : cipher.decrypt(grant.refreshTokenCiphertext, refreshBinding(grant.id));
  }

  /** The grant with its access token decrypted, for serving from memory. */
  public GrantSnapshot snapshot(GrantEntity grant) {
    String accessToken =
        grant.accessTokenCiphertext == null
            ? null
            : cipher.decrypt(grant.accessTokenCiphertext, accessBinding(grant.id));
    return new GrantSnapshot(
        grant.id,
        grant.providerId,
        grant.subject,
        Scopes.parse(grant.scopes),
        grant.status,
        accessToken,
        grant.accessTokenIssuedAt,
        grant.accessTokenExpiresAt,
        grant.accessTokenScopes);
  }

  static SecretBinding refreshBinding(String grantId) {
    return SecretBinding.of("oauth_grant", grantId, "refresh_token");
  }

  static SecretBinding accessBinding(String grantId) {
    return SecretBinding.of("oauth_grant", grantId, "access_token");
  }
}
