package dev.tokenbroker.authorization;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How an authorization ended, as reported to the browser (DESIGN §4 Authorization, §6 Authorization
 * integrity). {@code confirmation} is the one-time code the app confirms the subject with.
 */
public record CallbackOutcome(
    String returnUrl, String status, String grantId, String confirmation, String error) {

  static CallbackOutcome connected(String returnUrl, String grantId, String confirmation) {
    return new CallbackOutcome(returnUrl, "connected", grantId, confirmation, null);
  }

  static CallbackOutcome denied(String returnUrl) {
    return new CallbackOutcome(returnUrl, "denied", null, null, null);
  }

  static CallbackOutcome failed(String returnUrl, String error) {
    return new CallbackOutcome(returnUrl, "failed", null, null, error);
  }

  /** The return URL with {@code status}, and {@code grant_id} and {@code confirmation} or error. */
  public String redirectTarget() {
    Map<String, String> params = new LinkedHashMap<>();
    params.put("status", status);
    if (grantId != null) {
      params.put("grant_id", grantId);
    }
    if (confirmation != null) {
      params.put("confirmation", confirmation);
    }
    if (error != null) {
      params.put("error", error);
    }
    return QueryString.append(returnUrl, params);
  }

  @Override
  public String toString() {
    return "CallbackOutcome[status=" + status + ", grantId=" + grantId + ", error=" + error + "]";
  }
}
