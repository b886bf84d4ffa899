package dev.tokenbroker.api;

import jakarta.ws.rs.core.Response.Status;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** An error that the API reports as RFC 9457 problem+json with a stable {@code code}. */
public class ApiException extends RuntimeException {

  private final int status;
  private final String code;
  private final Long retryAfterSeconds;
  private final List<InvalidParam> invalidParams;

  public ApiException(Status status, String code, String detail) {
    this(status.getStatusCode(), code, detail, null, List.of(), null);
  }

  public ApiException(int status, String code, String detail) {
    this(status, code, detail, null, List.of(), null);
  }

  protected ApiException(
      int status,
      String code,
      String detail,
      Long retryAfterSeconds,
      List<InvalidParam> invalidParams,
      Throwable cause) {
    super(detail, cause, false, false);
    this.status = status;
    this.code = code;
    this.retryAfterSeconds = retryAfterSeconds;
    this.invalidParams = List.copyOf(invalidParams);
  }

  public static ApiException invalidRequest(String field, String reason) {
    return badField(ProblemCodes.INVALID_REQUEST, field, reason);
  }

  /** 400 with its own {@code code}, naming the offending field. */
  public static ApiException badField(String code, String field, String reason) {
    return new ApiException(
        400, code, field + ": " + reason, null, List.of(new InvalidParam(field, reason)), null);
  }

  public static ApiException forbidden(String detail) {
    return new ApiException(Status.FORBIDDEN, ProblemCodes.FORBIDDEN, detail);
  }

  public static ApiException notFound(String code, String detail) {
    return new ApiException(Status.NOT_FOUND, code, detail);
  }

  /** As {@link #withRetryAfter(Status, String, String, long)}, the wait rounded up to seconds. */
  public static ApiException withRetryAfter(
      Status status, String code, String detail, Duration wait) {
    return withRetryAfter(status, code, detail, (wait.toMillis() + 999) / 1000);
  }

  public static ApiException withRetryAfter(
      Status status, String code, String detail, long retryAfterSeconds) {
    return new ApiException(
        status.getStatusCode(), code, detail, Math.max(1, retryAfterSeconds), List.of(), null);
  }

  public int status() {
    return status;
  }

  public String code() {
    return code;
  }

  public Optional<Long> retryAfterSeconds() {
    return Optional.ofNullable(retryAfterSeconds);
  }

  public List<InvalidParam> invalidParams() {
    return invalidParams;
  }

  /** One offending input field, as in the RFC 9457 §3 example. */
  public record InvalidParam(String name, String reason) {}
}
