package dev.tokenbroker.oauth;

import java.util.Optional;

/**
 * An RFC 6749 §5.2 error of the broker's own token endpoint: {@code {"error",
 * "error_description"}}, not problem+json, because OAuth client libraries parse these.
 */
public final class OAuthError extends RuntimeException {

  static final String INVALID_REQUEST = "invalid_request";
  static final String INVALID_CLIENT = "invalid_client";
  static final String INVALID_GRANT = "invalid_grant";
  static final String INVALID_SCOPE = "invalid_scope";
  static final String INVALID_TARGET = "invalid_target";
  static final String UNSUPPORTED_GRANT_TYPE = "unsupported_grant_type";
  static final String TEMPORARILY_UNAVAILABLE = "temporarily_unavailable";

  private final int status;
  private final String error;
  private final Long retryAfterSeconds;
  private final boolean basicChallenge;

  private OAuthError(
      int status, String error, String description, Long retryAfterSeconds, boolean challenge) {
    super(description, null, false, false);
    this.status = status;
    this.error = error;
    this.retryAfterSeconds = retryAfterSeconds;
    this.basicChallenge = challenge;
  }

  static OAuthError badRequest(String error, String description) {
    return new OAuthError(400, error, description, null, false);
  }

  static OAuthError invalidRequest(String description) {
    return badRequest(INVALID_REQUEST, description);
  }

  /** 401 {@code invalid_client}; {@code basic} adds the challenge RFC 6749 §5.2 asks for. */
  static OAuthError invalidClient(String description, boolean basic) {
    return new OAuthError(401, INVALID_CLIENT, description, null, basic);
  }

  static OAuthError unavailable(int status, String description, long retryAfterSeconds) {
    return new OAuthError(status, TEMPORARILY_UNAVAILABLE, description, retryAfterSeconds, false);
  }

  public int status() {
    return status;
  }

  public String error() {
    return error;
  }

  public Optional<Long> retryAfterSeconds() {
    return Optional.ofNullable(retryAfterSeconds);
  }

  public boolean basicChallenge() {
    return basicChallenge;
  }
}
