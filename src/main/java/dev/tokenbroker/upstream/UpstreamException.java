package dev.tokenbroker.upstream;

import java.time.Duration;
import java.util.Optional;

/**
 * A token endpoint call that did not yield tokens. Keeps the RFC 6749 {@code error} code, the HTTP
 * status and any {@code Retry-After}; the message never contains a credential.
 */
public class UpstreamException extends RuntimeException {

  /** What the broker should do about the failure. */
  public enum Kind {
    /** invalid_grant: the refresh token or code is dead; never retry. */
    GRANT_REJECTED,
    /** invalid_client / unauthorized_client: the broker's own credentials; never retry. */
    CLIENT_REJECTED,
    /** Any other 4xx answer (invalid_request, invalid_scope, ...); not retried. */
    REQUEST_REJECTED,
    /** 429 Too Many Requests. */
    RATE_LIMITED,
    /** 5xx, timeouts and network errors: transient. */
    UNAVAILABLE
  }

  private final Kind kind;
  private final int status;
  private final String error;
  private final Duration retryAfter;
  private final boolean retriable;

  public UpstreamException(
      Kind kind, int status, String error, Duration retryAfter, String message, Throwable cause) {
    this(kind, status, error, retryAfter, message, cause, false);
  }

  private UpstreamException(
      Kind kind,
      int status,
      String error,
      Duration retryAfter,
      String message,
      Throwable cause,
      boolean retriable) {
    super(message, cause, false, false);
    this.kind = kind;
    this.status = status;
    this.error = error;
    this.retryAfter = retryAfter;
    this.retriable = retriable;
  }

  /** Classifies an error response of the token endpoint (RFC 6749 §5.2). */
  public static UpstreamException fromResponse(int status, String error, Duration retryAfter) {
    Kind kind;
    if (status == 429) {
      kind = Kind.RATE_LIMITED;
    } else if (status >= 500) {
      kind = Kind.UNAVAILABLE;
    } else if (OAuthErrorCodes.INVALID_GRANT.equals(error)) {
      kind = Kind.GRANT_REJECTED;
    } else if (OAuthErrorCodes.INVALID_CLIENT.equals(error)
        || OAuthErrorCodes.UNAUTHORIZED_CLIENT.equals(error)
        || status == 401) {
      kind = Kind.CLIENT_REJECTED;
    } else {
      kind = Kind.REQUEST_REJECTED;
    }
    return new UpstreamException(
        kind,
        status,
        error,
        retryAfter,
        "Token endpoint answered " + status + (error == null ? "" : " " + error),
        null,
        status >= 500);
  }

  /**
   * The provider could not be reached or did not answer in time. {@code neverReached}: the request
   * certainly did not arrive (refused connection), so repeating it is safe.
   */
  public static UpstreamException unavailable(String message, boolean neverReached) {
    return new UpstreamException(Kind.UNAVAILABLE, 0, null, null, message, null, neverReached);
  }

  /** The circuit breaker of the provider is open: no request was made. */
  public static UpstreamException circuitOpen(String providerId, Duration retryAfter) {
    return new UpstreamException(
        Kind.UNAVAILABLE,
        0,
        "circuit_open",
        retryAfter,
        "Circuit breaker of provider " + providerId + " is open",
        null,
        false);
  }

  /**
   * Whether repeating the request is safe and may help: 5xx answers and refused connections. A
   * timeout is not: the provider may have processed the request (and rotated a token).
   */
  public boolean retriable() {
    return retriable;
  }

  /**
   * True when the request may have been processed without the broker learning the outcome: it timed
   * out or its connection was lost after it was sent. A rotating provider may have rotated.
   */
  public boolean outcomeUnknown() {
    return kind == Kind.UNAVAILABLE && status == 0 && !retriable && error == null;
  }

  public Kind kind() {
    return kind;
  }

  public int status() {
    return status;
  }

  /** The RFC 6749 error code, or a broker code for failures without one. */
  public String errorCode() {
    if (error != null) {
      return error;
    }
    return switch (kind) {
      case RATE_LIMITED -> "rate_limited";
      case UNAVAILABLE -> "upstream_unavailable";
      default -> "http_" + status;
    };
  }

  public Optional<Duration> retryAfter() {
    return Optional.ofNullable(retryAfter);
  }
}
