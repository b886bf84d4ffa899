package dev.tokenbroker.authorization;

import dev.tokenbroker.crypto.SecretBinding;
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
public class PendingTokens {

  private static final String TABLE = "authorization_request";

  private final SecretCipher cipher;

  public PendingTokens(SecretCipher cipher) {
    this.cipher = cipher;
  }

  /** Tokens of a completed flow, sealed; a refresh token that was null stays null. */
  record Sealed(
      String accessToken, String refreshToken, String scope, Instant issuedAt, Instant expiresAt) {}

  String sealVerifier(String stateHash, String verifier) {
    return cipher.encrypt(verifier, binding(stateHash, "code_verifier"));
  }

  String openVerifier(AuthorizationRequestEntity request) {
    return request.codeVerifierCiphertext == null
        ? null
        : cipher.decrypt(
            request.codeVerifierCiphertext, binding(request.stateSha256, "code_verifier"));
  }

  Sealed seal(String stateHash, IssuedTokens tokens) {
    List<SecretCipher.Sealing> items = new ArrayList<>(2);
    items.add(
        new SecretCipher.Sealing(tokens.accessToken(), binding(stateHash, "pending_access_token")));
    if (tokens.refreshToken() != null) {
      items.add(
          new SecretCipher.Sealing(
              tokens.refreshToken(), binding(stateHash, "pending_refresh_token")));
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
            request.pendingAccessTokenCiphertext,
            binding(request.stateSha256, "pending_access_token")),
        openRefreshToken(request),
        request.pendingExpiresAt,
        request.pendingScope,
        request.pendingIssuedAt);
  }

  String openRefreshToken(AuthorizationRequestEntity request) {
    return request.pendingRefreshTokenCiphertext == null
        ? null
        : cipher.decrypt(
            request.pendingRefreshTokenCiphertext,
            binding(request.stateSha256, "pending_refresh_token"));
  }

  private static SecretBinding binding(String stateHash, String column) {
    return SecretBinding.of(TABLE, stateHash, column);
  }
}
