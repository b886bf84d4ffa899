package dev.tokenbroker.authorization;

import dev.tokenbroker.crypto.SealedColumn;
import dev.tokenbroker.crypto.SealedColumns;
import dev.tokenbroker.crypto.SecretCipher;
import dev.tokenbroker.upstream.IssuedTokens;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Seals and opens the secrets of a started authorization, each bound to its state hash and column:
 * the PKCE verifier, and the tokens that wait for the app's confirmation.
 */
@ApplicationScoped
public class PendingTokens implements SealedColumns {

  private static final SealedColumn VERIFIER = column("code_verifier");
  private static final SealedColumn ACCESS_TOKEN = column("pending_access_token");
  private static final SealedColumn REFRESH_TOKEN = column("pending_refresh_token");

  private final SecretCipher cipher;

  public PendingTokens(SecretCipher cipher) {
    this.cipher = cipher;
  }

  /** Tokens of a completed flow, sealed; a refresh token that was null stays null. */
  record Sealed(
      String accessToken, String refreshToken, String scope, Instant issuedAt, Instant expiresAt) {}

  String sealVerifier(String stateHash, String verifier) {
    return cipher.encrypt(verifier, VERIFIER.binding(stateHash));
  }

  String openVerifier(AuthorizationRequestEntity request) {
    return request.codeVerifierCiphertext == null
        ? null
        : cipher.decrypt(request.codeVerifierCiphertext, VERIFIER.binding(request.stateSha256));
  }

  Sealed seal(String stateHash, IssuedTokens tokens) {
    List<SecretCipher.Sealing> items = new ArrayList<>(2);
    items.add(new SecretCipher.Sealing(tokens.accessToken(), ACCESS_TOKEN.binding(stateHash)));
    if (tokens.refreshToken() != null) {
      items.add(new SecretCipher.Sealing(tokens.refreshToken(), REFRESH_TOKEN.binding(stateHash)));
    }
    List<String> sealed = cipher.encryptAll(items);
    return new Sealed(
        sealed.get(0),
        sealed.size() > 1 ? sealed.get(1) : null,
        tokens.scope(),
        tokens.issuedAt(),
        tokens.expiresAt());
  }

  IssuedTokens open(AuthorizationRequestEntity request) {
    return new IssuedTokens(
        cipher.decrypt(
            request.pendingAccessTokenCiphertext, ACCESS_TOKEN.binding(request.stateSha256)),
        openRefreshToken(request),
        request.pendingExpiresAt,
        request.pendingScope,
        request.pendingIssuedAt);
  }

  String openRefreshToken(AuthorizationRequestEntity request) {
    return request.pendingRefreshTokenCiphertext == null
        ? null
        : cipher.decrypt(
            request.pendingRefreshTokenCiphertext, REFRESH_TOKEN.binding(request.stateSha256));
  }

  @Override
  public List<SealedColumn> sealedColumns() {
    return List.of(VERIFIER, ACCESS_TOKEN, REFRESH_TOKEN);
  }

  private static SealedColumn column(String binding) {
    String table = "authorization_request";
    return new SealedColumn(table, "state_sha256", binding + "_ct", table, binding);
  }
}
