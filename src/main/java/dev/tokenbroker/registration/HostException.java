package dev.tokenbroker.registration;

import dev.tokenbroker.api.ApiException;
import dev.tokenbroker.api.ProblemCodes;

/** Failures at a badge host, as the API reports them (502). */
final class HostException {

  private HostException() {}

  /** The host was unreachable, timed out or answered 5xx. */
  static ApiException discoveryFailed(String detail) {
    return new ApiException(502, ProblemCodes.DISCOVERY_FAILED, detail);
  }

  /** The host refused the registration; {@code error} is its RFC 7591 error code. */
  static ApiException registrationRejected(String error) {
    return new ApiException(
        502,
        ProblemCodes.REGISTRATION_REJECTED,
        "The host refused the broker's registration: " + error);
  }
}
