package dev.tokenbroker.api;

import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.List;

/** Builds the RFC 9457 problem+json answers that the exception mappers return. */
public final class ProblemResponses {

  private ProblemResponses() {}

  /** The 413 problem for a body over {@code limit} bytes. */
  public static Problem payloadTooLarge(String path, long limit) {
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

  /** A problem answer; {@code Retry-After} when given, and the challenge on 401. */
  public static Response build(
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
