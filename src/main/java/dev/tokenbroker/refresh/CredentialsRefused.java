package dev.tokenbroker.refresh;

import dev.tokenbroker.api.ApiException;
import dev.tokenbroker.api.ProblemCodes;

/**
 * 502 {@code upstream_rejected} because the provider refused the broker's own client credentials
 * ({@code invalid_client}): for a provider that registers itself at its host, a reason to register
 * again before giving up.
 */
public final class CredentialsRefused extends ApiException {

  private final String providerId;

  CredentialsRefused(String providerId, String detail) {
    super(502, ProblemCodes.UPSTREAM_REJECTED, detail);
    this.providerId = providerId;
  }

  public String providerId() {
    return providerId;
  }
}
