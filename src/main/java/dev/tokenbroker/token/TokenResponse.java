package dev.tokenbroker.token;

import java.time.Instant;

/** Reply of {@code POST /v1/tokens}: the only place an access token leaves the broker. */
public record TokenResponse(
    String accessToken,
    String tokenType,
    long expiresIn,
    Instant expiresAt,
    String scope,
    String grantId) {

  @Override
  public String toString() {
    return "TokenResponse[grant=" + grantId + ", expiresAt=" + expiresAt + "]";
  }
}
