package dev.tokenbroker.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.runtime.configuration.MemorySize;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.regex.Pattern;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The HTTP layer's limits, answered as problem+json (DESIGN §5, §6) by the first route of the
 * router: a request target that is no path (absolute form), a path with characters RFC 3986 wants
 * encoded (raw non-ASCII bytes), a URI that {@link URI} refuses (which Quarkus would answer with an
 * empty 400 but for {@link BrokerMain}), or an encoded NUL is 400 {@code invalid_request}; a
 * declared body over {@code quarkus.http.limits.max-body-size} is 413 {@code payload_too_large}, a
 * URI over 8 KiB is 414 {@code uri_too_long}, headers over 16 KiB are 431 {@code
 * headers_too_large}. The codec's own ceilings ({@code quarkus.http.limits.max-initial-line-length}
 * and {@code max-header-size}) are set well above these, so that only requests far beyond them meet
 * the codec's empty answers. A body that grows past the limit without declaring its length is
 * refused while it is read, and {@link ProblemMapper} writes the same 413.
 */
@ApplicationScoped
public class HttpLimits {

  static final int MAX_URI_LENGTH = 8 * 1024;
  static final int MAX_HEADER_BYTES = 16 * 1024;
  private static final Pattern MALFORMED_ESCAPE = Pattern.compile("%(?![0-9A-Fa-f]{2})");

  /** RFC 3986 unreserved, reserved and {@code %}: anything else in a path must be encoded. */
  private static final Pattern PATH_CHARACTERS =
      Pattern.compile("[A-Za-z0-9\\-._~:/\\[\\]@!$&'()*+,;=%]*");

  /** A query is more leniently written by some clients, but never with controls or raw bytes. */
  private static final Pattern QUERY_CHARACTERS = Pattern.compile("[\\x21-\\x7E&&[^\\\\]]*");

  private static final Pattern NUL = Pattern.compile("%00");

  private static final String NOT_A_PATH =
      "The request target must be a path (no CONNECT, no absolute or asterisk form)";

  private final long maxBody;
  private final ObjectMapper json;

  public HttpLimits(
      @ConfigProperty(name = "quarkus.http.limits.max-body-size", defaultValue = "64K")
          MemorySize maxBody,
      ObjectMapper json) {
    this.maxBody = maxBody.asLongValue();
    this.json = json;
  }

  void install(@Observes Router router) {
    router.route().order(Integer.MIN_VALUE).handler(this::check);
    router.route().order(Integer.MIN_VALUE).failureHandler(this::undecodable);
  }

  /**
   * The router fails on a URI it cannot decode (a malformed percent-encoding) before any route
   * runs; that is the client's error, 400 problem+json, not the HTTP layer's 500. It also fails,
   * with a bare 404, a request target that is no path (CONNECT's authority form, the asterisk
   * form).
   */
  private void undecodable(RoutingContext ctx) {
    if (ctx.response().ended()) {
      ctx.next();
    } else if (ctx.failure() instanceof IllegalArgumentException) {
      refuse(
          ctx,
          400,
          "Bad Request",
          ProblemCodes.INVALID_REQUEST,
          "The URI cannot be decoded (malformed percent-encoding)");
    } else if (ctx.failure() == null && ctx.statusCode() == 404) {
      refuse(ctx, 400, "Bad Request", ProblemCodes.INVALID_REQUEST, NOT_A_PATH);
    } else {
      ctx.next();
    }
  }

  private void check(RoutingContext ctx) {
    HttpServerRequest request = ctx.request();
    if (!request.uri().startsWith("/")) {
      refuse(ctx, 400, "Bad Request", ProblemCodes.INVALID_REQUEST, NOT_A_PATH);
    } else if (!characters(request.uri())) {
      refuse(
          ctx,
          400,
          "Bad Request",
          ProblemCodes.INVALID_REQUEST,
          "The URI holds characters that must be percent-encoded (RFC 3986)");
    } else if (NUL.matcher(request.uri()).find()) {
      refuse(ctx, 400, "Bad Request", ProblemCodes.INVALID_REQUEST, "The URI holds %00");
    } else if (!parsable(request.uri())) {
      refuse(
          ctx,
          400,
          "Bad Request",
          ProblemCodes.INVALID_REQUEST,
          "The URI is not a valid URI reference (RFC 3986)");
    } else if (!wellEncoded(request.uri())) {
      refuse(
          ctx,
          400,
          "Bad Request",
          ProblemCodes.INVALID_REQUEST,
          "The URI holds a malformed percent-encoding");
    } else if (request.uri().length() > MAX_URI_LENGTH) {
      refuse(ctx, 414, "URI Too Long", ProblemCodes.URI_TOO_LONG, "The URI is longer than 8 KiB");
    } else if (headerBytes(request) > MAX_HEADER_BYTES) {
      refuse(
          ctx,
          431,
          "Request Header Fields Too Large",
          ProblemCodes.HEADERS_TOO_LARGE,
          "The request headers are larger than 16 KiB");
    } else if (declaredBodyTooLarge(request.getHeader(HttpHeaders.CONTENT_LENGTH))) {
      Problem problem = ProblemResponses.payloadTooLarge(null, maxBody);
      respond(ctx, problem);
    } else {
      ctx.next();
    }
  }

  private static boolean characters(String uri) {
    int query = uri.indexOf('?');
    String path = query < 0 ? uri : uri.substring(0, query);
    return PATH_CHARACTERS.matcher(path).matches()
        && (query < 0 || QUERY_CHARACTERS.matcher(uri.substring(query + 1)).matches());
  }

  /** What Quarkus' own check would have let through ({@link BrokerMain}). */
  private static boolean parsable(String uri) {
    try {
      new URI(uri);
      return true;
    } catch (URISyntaxException notAUri) {
      return false;
    }
  }

  /** Every {@code %} starts two hex digits, and the escapes decode to UTF-8. */
  private static boolean wellEncoded(String uri) {
    if (uri.indexOf('%') < 0) {
      return true;
    }
    if (MALFORMED_ESCAPE.matcher(uri).find()) {
      return false;
    }
    try {
      StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(percentDecoded(uri)));
      return true;
    } catch (java.nio.charset.CharacterCodingException notUtf8) {
      return false;
    }
  }

  private static byte[] percentDecoded(String uri) {
    java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream(uri.length());
    for (int i = 0; i < uri.length(); i++) {
      char c = uri.charAt(i);
      if (c == '%') {
        bytes.write(Integer.parseInt(uri.substring(i + 1, i + 3), 16));
        i += 2;
      } else {
        byte[] raw = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
        bytes.write(raw, 0, raw.length);
      }
    }
    return bytes.toByteArray();
  }

  private static long headerBytes(HttpServerRequest request) {
    long bytes = 0;
    for (Map.Entry<String, String> header : request.headers()) {
      bytes += header.getKey().length() + header.getValue().length() + 4;
    }
    return bytes;
  }

  private boolean declaredBodyTooLarge(String declared) {
    if (declared == null) {
      return false;
    }
    try {
      return Long.parseLong(declared.trim()) > maxBody;
    } catch (NumberFormatException notANumber) {
      return false;
    }
  }

  /** Ends the request with a problem+json answer, before any resource ran. */
  public void refuse(RoutingContext ctx, int status, String title, String code, String detail) {
    respond(ctx, new Problem("about:blank", title, status, detail, null, code, null, null));
  }

  private void respond(RoutingContext ctx, Problem problem) {
    String body;
    try {
      body = json.writeValueAsString(problem);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
    ctx.response()
        .setStatusCode(problem.status())
        .putHeader(HttpHeaders.CONTENT_TYPE, Problem.MEDIA_TYPE)
        .putHeader(HttpHeaders.CONNECTION, "close")
        .end(body);
  }
}
