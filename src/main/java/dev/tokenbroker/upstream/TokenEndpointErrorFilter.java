package dev.tokenbroker.upstream;

import io.quarkus.arc.Unremovable;
import io.quarkus.oidc.common.OidcEndpoint;
import io.quarkus.oidc.common.OidcResponseFilter;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.regex.Pattern;

/**
 * Turns every non-200 token endpoint answer into an {@link UpstreamException} that keeps the
 * status, the RFC 6749 §5.2 {@code error} and {@code Retry-After}, which Quarkus OIDC Client would
 * otherwise fold into a message string.
 */
@Unremovable
@ApplicationScoped
@OidcEndpoint({OidcEndpoint.Type.TOKEN, OidcEndpoint.Type.TOKEN_REVOCATION})
public class TokenEndpointErrorFilter implements OidcResponseFilter {

  private static final Pattern ERROR_CODE = Pattern.compile("[a-z_]{1,64}");

  @Override
  public void filter(OidcResponseContext context) {
    int status = context.statusCode();
    if (status == 200) {
      return;
    }
    throw UpstreamException.fromResponse(
        status, errorCode(context), retryAfter(context.responseHeaders().get("Retry-After")));
  }

  private static String errorCode(OidcResponseContext context) {
    if (context.responseBody() == null || context.responseBody().length() == 0) {
      return null;
    }
    try {
      Object error = new JsonObject(context.responseBody().toString()).getValue("error");
      return error instanceof String code && ERROR_CODE.matcher(code).matches() ? code : null;
    } catch (DecodeException | ClassCastException notJson) {
      return null;
    }
  }

  /** A Retry-After value (RFC 9110 §10.2.3): delay-seconds or an HTTP date; null if neither. */
  public static Duration retryAfter(String header) {
    if (header == null || header.isBlank()) {
      return null;
    }
    String value = header.strip();
    try {
      return Duration.ofSeconds(Math.max(0, Long.parseLong(value)));
    } catch (NumberFormatException notSeconds) {
      try {
        ZonedDateTime at = ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME);
        Duration until = Duration.between(ZonedDateTime.now(at.getZone()), at);
        return until.isNegative() ? Duration.ZERO : until;
      } catch (DateTimeParseException neither) {
        return null;
      }
    }
  }
}
