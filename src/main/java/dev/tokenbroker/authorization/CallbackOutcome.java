package dev.tokenbroker.authorization;

import java.util.LinkedHashMap;
import java.util.Map;

/** How an authorization ended, as reported to the browser (DESIGN §4 Authorization). */
public record CallbackOutcome(String returnUrl, String status, String grantId, String error) {

  static CallbackOutcome connected(String returnUrl, String grantId) {
    return new CallbackOutcome(returnUrl, "connected", grantId, null);
  }

  static CallbackOutcome denied(String returnUrl) {
    return new CallbackOutcome(returnUrl, "denied", null, null);
  }

  static CallbackOutcome failed(String returnUrl, String error) {
    return new CallbackOutcome(returnUrl, "failed", null, error);
  }

  /** The return URL with {@code status} and {@code grant_id} or {@code error} appended. */
  public String redirectTarget() {
    Map<String, String> params = new LinkedHashMap<>();
    params.put("status", status);
    if (grantId != null) {
      params.put("grant_id", grantId);
    }
    if (error != null) {
      params.put("error", error);
    }
    return AuthorizationService.appendQuery(returnUrl, params);
  }
}
