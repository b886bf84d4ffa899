package dev.tokenbroker.refresh;

import dev.tokenbroker.api.ApiException;
import dev.tokenbroker.api.ProblemCodes;
import jakarta.ws.rs.core.Response.Status;
import java.time.Duration;

/** The API errors a refresh can end in (DESIGN §4 Tokens). */
public final class RefreshFailures {

  private RefreshFailures() {}

  public static ApiException reauthorizationRequired(String grantId) {
    return new ApiException(
        Status.CONFLICT,
        ProblemCodes.REAUTHORIZATION_REQUIRED,
        "Grant " + grantId + " must be authorized again by its subject");
  }

  public static ApiException upstreamRejected(String providerId, String error) {
    return new ApiException(
        Status.BAD_GATEWAY,
        ProblemCodes.UPSTREAM_REJECTED,
        "Provider "
            + providerId
            + " rejected the broker's request ("
            + error
            + "); check the"
            + " provider's client registration");
  }

  /** As {@link #upstreamRejected}, for a refusal of the broker's own client credentials. */
  static CredentialsRefused credentialsRefused(String providerId, String error) {
    return new CredentialsRefused(providerId, upstreamRejected(providerId, error).getMessage());
  }

  public static ApiException upstreamUnavailable(String providerId, Duration retryAfter) {
    return ApiException.withRetryAfter(
        Status.SERVICE_UNAVAILABLE,
        ProblemCodes.UPSTREAM_UNAVAILABLE,
        "Provider " + providerId + " cannot issue a token right now",
        retryAfter);
  }
}
