package dev.tokenbroker.upstream;

import java.time.Instant;

/**
 * What a token endpoint returned. {@code refreshToken} is null when the provider did not rotate it;
 * {@code expiresAt} is null when it sent no {@code expires_in}.
 */
public record IssuedTokens(
    String accessToken, String refreshToken, Instant expiresAt, String scope, Instant issuedAt) {

  @Override
  public String toString() {
    return "IssuedTokens[expiresAt=" + expiresAt + ", scope=" + scope + "]";
  }
}
