package dev.tokenbroker.token;

import java.time.Instant;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** Reply of {@code POST /v1/tokens}: the only place an access token leaves the broker. */
public record TokenResponse(
    @Schema(examples = "eyJhbGciOi...") String accessToken,
    @Schema(examples = "Bearer") String tokenType,
    @Schema(examples = "86399") long expiresIn,
    @Schema(examples = "2026-12-04T12:00:00Z") Instant expiresAt,
    @Schema(examples = "r:profile r:backpack") String scope,
    @Schema(examples = "grt_abcdefghijklmnopqrst") String grantId) {

  @Override
  public String toString() {
    return "TokenResponse[grant=" + grantId + ", expiresAt=" + expiresAt + "]";
  }
}
