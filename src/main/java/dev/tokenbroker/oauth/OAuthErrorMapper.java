package dev.tokenbroker.oauth;

import com.fasterxml.jackson.annotation.JsonProperty;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Writes an {@link OAuthError} as RFC 6749 §5.2 JSON, never cached. */
public class OAuthErrorMapper {

  private static final Logger LOG = Logger.getLogger(OAuthErrorMapper.class);

  /** The RFC 6749 error body. */
  public record Body(String error, @JsonProperty("error_description") String errorDescription) {}

  @ServerExceptionMapper
  public Response oauthError(OAuthError e) {
    if (e.status() >= 500) {
      LOG.warnf("%d %s on the token endpoint: %s", e.status(), e.error(), e.getMessage());
    } else {
      LOG.debugf("%d %s on the token endpoint: %s", e.status(), e.error(), e.getMessage());
    }
    Response.ResponseBuilder response =
        Response.status(e.status())
            .type(MediaType.APPLICATION_JSON_TYPE)
            .header("Cache-Control", "no-store")
            .header("Pragma", "no-cache")
            .entity(new Body(e.error(), e.getMessage()));
    e.retryAfterSeconds().ifPresent(s -> response.header("Retry-After", s));
    if (e.basicChallenge()) {
      response.header("WWW-Authenticate", "Basic realm=\"token-broker\"");
    }
    return response.build();
  }
}
