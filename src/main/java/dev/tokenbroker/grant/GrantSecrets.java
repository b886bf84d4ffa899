package dev.tokenbroker.grant;

import dev.tokenbroker.crypto.SealedColumn;
import dev.tokenbroker.crypto.SealedColumns;
import dev.tokenbroker.crypto.SecretBinding;
import dev.tokenbroker.crypto.SecretCipher;
import dev.tokenbroker.provider.Scopes;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;

/** Seals and opens a grant's tokens, each bound to the grant id and its column. */
@ApplicationScoped
public class GrantSecrets implements SealedColumns {

  private static final SealedColumn REFRESH_TOKEN =
      new SealedColumn("oauth_grant", "id", "refresh_token_ct", "oauth_grant", "refresh_token");
  private static final SealedColumn ACCESS_TOKEN =
      new SealedColumn("oauth_grant", "id", "access_token_ct", "oauth_grant", "access_token");

  private final SecretCipher cipher;

  public GrantSecrets(SecretCipher cipher) {
    this.cipher = cipher;
  }

  /** A grant's tokens, sealed; a token that was null stays null. */
  public record Sealed(String accessToken, String refreshToken) {}

  /** Seals both tokens of a grant in one backend call (one Vault Transit batch). */
  public Sealed seal(String grantId, String accessToken, String refreshToken) {
    List<SecretCipher.Sealing> items = new ArrayList<>(2);
    if (accessToken != null) {
      items.add(new SecretCipher.Sealing(accessToken, accessBinding(grantId)));
    }
    if (refreshToken != null) {
      items.add(new SecretCipher.Sealing(refreshToken, refreshBinding(grantId)));
    }
    List<String> sealed = items.isEmpty() ? List.of() : cipher.encryptAll(items);
    return new Sealed(
        accessToken == null ? null : sealed.get(0),
        refreshToken == null ? null : sealed.get(sealed.size() - 1));
  }

  public String openRefreshToken(GrantEntity grant) {
    return openRefreshToken(grant.id, grant.refreshTokenCiphertext);
  }

  /** A refresh token ciphertext of the grant (the current one or one it replaced). */
  public String openRefreshToken(String grantId, String ciphertext) {
    return ciphertext == null ? null : cipher.decrypt(ciphertext, refreshBinding(grantId));
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

  @Override
  public List<SealedColumn> sealedColumns() {
    return List.of(REFRESH_TOKEN, ACCESS_TOKEN);
  }

  static SecretBinding refreshBinding(String grantId) {
    return REFRESH_TOKEN.binding(grantId);
  }

  static SecretBinding accessBinding(String grantId) {
    return ACCESS_TOKEN.binding(grantId);
  }
}
