package dev.tokenbroker.api;

import static dev.tokenbroker.api.ProblemResponses.build;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import jakarta.validation.ConstraintViolationException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;
import org.jboss.logging.MDC;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Turns every failure into RFC 9457 problem+json; never leaks a stack trace. */
public class ProblemMapper {

  private static final Logger LOG = Logger.getLogger(ProblemMapper.class);
  private static final long STORE_RETRY_AFTER_SECONDS = 5;

  @ServerExceptionMapper
  public Response apiException(ApiException e, UriInfo uri) {
    if (e.status() >= 500) {
      LOG.warnf("%d %s on %s: %s", e.status(), e.code(), uri.getPath(), e.getMessage());
    } else {
      LOG.debugf("%d %s on %s: %s", e.status(), e.code(), uri.getPath(), e.getMessage());
    }
    return build(
        e.status(),
        e.code(),
        e.getMessage(),
        uri,
        e.retryAfterSeconds().orElse(null),
        e.invalidParams());
  }

  @ServerExceptionMapper
  public Response constraintViolation(ConstraintViolationException e, UriInfo uri) {
    List<ApiException.InvalidParam> params =
        e.getConstraintViolations().stream()
            .map(v -> new ApiException.InvalidParam(ViolationFields.fieldName(v), v.getMessage()))
            .sorted(Comparator.comparing(ApiException.InvalidParam::name))
            .toList();
    String detail =
        params.stream().map(p -> p.name() + ": " + p.reason()).collect(Collectors.joining("; "));
    return build(400, ProblemCodes.INVALID_REQUEST, detail, uri, null, params);
  }

  @ServerExceptionMapper
  public Response jsonProcessing(JsonProcessingException e, UriInfo uri) {
    return JsonProblems.badJson(e, uri);
  }

  /** Takes precedence over Quarkus' built-in mapper for the same type. */
  @ServerExceptionMapper
  public Response mismatchedInput(MismatchedInputException e, UriInfo uri) {
    return JsonProblems.badJson(e, uri);
  }

  @ServerExceptionMapper
  public Response webApplication(WebApplicationException e, UriInfo uri) {
    if (e.getCause() instanceof JsonProcessingException json) {
      return JsonProblems.badJson(json, uri);
    }
    int status = e.getResponse() == null ? 500 : e.getResponse().getStatus();
    if (status >= 500) {
      return unexpected(e, uri);
    }
    String code =
        switch (status) {
          case 401 -> ProblemCodes.UNAUTHENTICATED;
          case 403 -> ProblemCodes.FORBIDDEN;
          case 404 -> ProblemCodes.NOT_FOUND;
          case 405 -> ProblemCodes.METHOD_NOT_ALLOWED;
          case 406 -> ProblemCodes.NOT_ACCEPTABLE;
          case 413 -> ProblemCodes.PAYLOAD_TOO_LARGE;
          case 415 -> ProblemCodes.UNSUPPORTED_MEDIA_TYPE;
          default -> ProblemCodes.INVALID_REQUEST;
        };
    String detail =
        switch (status) {
          case 404 -> "No such resource";
          case 405 -> "Method not allowed on this resource";
          case 413 -> "The request body is larger than this API accepts";
          case 415 -> "Send the request body as application/json";
          default ->
              Response.Status.fromStatusCode(status) == null
                  ? "Bad request"
                  : Response.Status.fromStatusCode(status).getReasonPhrase();
        };
    return build(status, code, detail, uri, null, List.of());
  }

  @ServerExceptionMapper
  public Response unexpected(Throwable e, UriInfo uri) {
    Optional<StoreFailures.Meaning> store = StoreFailures.classify(e);
    if (store.isPresent()) {
      return storeFailure(store.get(), e, uri);
    }
    LOG.errorf(
        e, "Unexpected failure on %s (request %s)", uri.getPath(), MDC.get(RequestIds.MDC_KEY));
    return build(
        500,
        ProblemCodes.INTERNAL_ERROR,
        "Internal error; quote request id " + MDC.get(RequestIds.MDC_KEY) + " to the operator",
        uri,
        null,
        List.of());
  }

  private Response storeFailure(StoreFailures.Meaning meaning, Throwable e, UriInfo uri) {
    return switch (meaning) {
      case CONFLICT -> {
        LOG.debugf("409 conflict on %s: %s", uri.getPath(), e.getClass().getSimpleName());
        yield build(
            409,
            ProblemCodes.CONFLICT,
            "A concurrent write of the same resource won; read it again and retry",
            uri,
            null,
            List.of());
      }
      case INVALID_VALUE ->
          build(
              400,
              ProblemCodes.INVALID_REQUEST,
              "A value of the request cannot be stored (out of range or not valid text)",
              uri,
              null,
              List.of());
      case UNAVAILABLE -> {
        LOG.warnf(
            "503 store_unavailable on %s: the database failed (%s)",
            uri.getPath(), rootCause(e).getClass().getSimpleName());
        yield build(
            503,
            ProblemCodes.STORE_UNAVAILABLE,
            "The database is unavailable; try again later",
            uri,
            STORE_RETRY_AFTER_SECONDS,
            List.of());
      }
    };
  }

  private static Throwable rootCause(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return root;
  }
}
