package dev.tokenbroker.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import dev.tokenbroker.crypto.CryptoUnavailableException;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.validation.Path;
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
  private static final long CRYPTO_RETRY_AFTER_SECONDS = 5;
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
            .map(v -> new ApiException.InvalidParam(fieldName(v), v.getMessage()))
            .sorted(Comparator.comparing(ApiException.InvalidParam::name))
            .toList();
    String detail =
        params.stream().map(p -> p.name() + ": " + p.reason()).collect(Collectors.joining("; "));
    return build(400, ProblemCodes.INVALID_REQUEST, detail, uri, null, params);
  }

  @ServerExceptionMapper
  public Response jsonProcessing(JsonProcessingException e, UriInfo uri) {
    return badJson(e, uri);
  }

  /** Takes precedence over Quarkus' built-in mapper for the same type. */
  @ServerExceptionMapper
  public Response mismatchedInput(MismatchedInputException e, UriInfo uri) {
    return badJson(e, uri);
  }

  @ServerExceptionMapper
  public Response webApplication(WebApplicationException e, UriInfo uri) {
    if (e.getCause() instanceof JsonProcessingException json) {
      return badJson(json, uri);
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

  /** Vault unreachable: the request may succeed later; cached tokens are unaffected. */
  @ServerExceptionMapper
  public Response cryptoUnavailable(CryptoUnavailableException e, UriInfo uri) {
    LOG.warnf("503 crypto_unavailable on %s: %s", uri.getPath(), e.getMessage());
    return build(
        503,
        ProblemCodes.CRYPTO_UNAVAILABLE,
        "The secret store is unavailable; try again later",
        uri,
        CRYPTO_RETRY_AFTER_SECONDS,
        List.of());
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

  /** The 413 problem for a body over {@code limit} bytes. */
  static Problem payloadTooLarge(String path, long limit) {
    return new Problem(
        "about:blank",
        "Content Too Large",
        413,
        "The request body is larger than " + limit + " bytes",
        path,
        ProblemCodes.PAYLOAD_TOO_LARGE,
        null,
        null);
  }

  private Response badJson(JsonProcessingException e, UriInfo uri) {
    String duplicate = duplicateField(e);
    if (duplicate != null) {
      return build(
          400,
          ProblemCodes.INVALID_REQUEST,
          duplicate + ": given more than once",
          uri,
          null,
          List.of(new ApiException.InvalidParam(duplicate, "given more than once")));
    }
    if (e instanceof com.fasterxml.jackson.core.exc.StreamConstraintsException) {
      return build(
          400,
          ProblemCodes.INVALID_REQUEST,
          "The JSON body is nested too deeply or holds a value that is too long",
          uri,
          null,
          List.of());
    }
    if (e instanceof UnrecognizedPropertyException unknown) {
      String field = jsonPath(unknown);
      return build(
          400,
          ProblemCodes.INVALID_REQUEST,
          field + ": unknown field",
          uri,
          null,
          List.of(new ApiException.InvalidParam(field, "unknown field")));
    }
    if (e instanceof JsonMappingException mapping && !mapping.getPath().isEmpty()) {
      String field = jsonPath(mapping);
      String reason =
          e instanceof InvalidFormatException invalid && invalid.getTargetType().isEnum()
              ? "must be one of " + enumValues(invalid.getTargetType())
              : "has the wrong type or format";
      return build(
          400,
          ProblemCodes.INVALID_REQUEST,
          field + ": " + reason,
          uri,
          null,
          List.of(new ApiException.InvalidParam(field, reason)));
    }
    return build(400, ProblemCodes.INVALID_REQUEST, "Malformed JSON body", uri, null, List.of());
  }

  /** The key named by Jackson's strict duplicate detection ("Duplicate field 'x'"), or null. */
  private static String duplicateField(JsonProcessingException e) {
    String message = e.getOriginalMessage();
    if (message == null || !message.startsWith("Duplicate field '")) {
      return null;
    }
    int end = message.indexOf('\'', "Duplicate field '".length());
    String field = end < 0 ? null : message.substring("Duplicate field '".length(), end);
    return field == null || field.length() > 64 || !field.matches("[a-z_]+") ? "body" : field;
  }

  private static String enumValues(Class<?> type) {
    return java.util.Arrays.stream(type.getEnumConstants())
        .map(Object::toString)
        .collect(Collectors.joining(", "));
  }

  private static String jsonPath(JsonMappingException e) {
    StringBuilder path = new StringBuilder();
    for (JsonMappingException.Reference ref : e.getPath()) {
      if (ref.getFieldName() != null) {
        if (!path.isEmpty()) {
          path.append('.');
        }
        path.append(ref.getFieldName());
      } else if (ref.getIndex() >= 0) {
        path.append('[').append(ref.getIndex()).append(']');
      }
    }
    return path.isEmpty() ? "body" : path.toString();
  }

  private static String fieldName(ConstraintViolation<?> violation) {
    String name = "body";
    boolean afterParameter = false;
    StringBuilder path = new StringBuilder();
    for (Path.Node node : violation.getPropertyPath()) {
      switch (node.getKind()) {
        case PARAMETER -> {
          afterParameter = true;
          name = node.getName();
        }
        case PROPERTY, CONTAINER_ELEMENT -> {
          // Bean Validation puts a container's index on the node inside it.
          if (node.isInIterable() && node.getIndex() != null) {
            path.append('[').append(node.getIndex()).append(']');
          }
          if (node.getName() != null && !node.getName().startsWith("<")) {
            if (!path.isEmpty()) {
              path.append('.');
            }
            path.append(snakeCase(node.getName()));
          }
        }
        default -> {}
      }
    }
    if (!path.isEmpty()) {
      return path.toString();
    }
    return afterParameter && !name.startsWith("arg") ? snakeCase(name) : "body";
  }

  static String snakeCase(String camel) {
    return camel.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toLowerCase(java.util.Locale.ROOT);
  }

  private static Response build(
      int status,
      String code,
      String detail,
      UriInfo uri,
      Long retryAfter,
      List<ApiException.InvalidParam> params) {
    Response.Status known = Response.Status.fromStatusCode(status);
    Problem problem =
        new Problem(
            "about:blank",
            known == null ? "Error" : known.getReasonPhrase(),
            status,
            detail,
            uri == null ? null : uri.getPath(),
            code,
            retryAfter,
            params.isEmpty() ? null : params);
    Response.ResponseBuilder response =
        Response.status(status).type(Problem.MEDIA_TYPE).entity(problem);
    if (retryAfter != null) {
      response.header("Retry-After", retryAfter);
    }
    if (status == 401) {
      response.header("WWW-Authenticate", "Bearer realm=\"token-broker\"");
    }
    return response.build();
  }
}
