package dev.tokenbroker.authorization;

import dev.tokenbroker.caller.PublicEndpoint;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;

/** {@code GET /v1/oauth/callback}: where providers send the browser back (public). */
@Path("/v1/oauth/callback")
@PublicEndpoint
public class OAuthCallbackResource {

  private final AuthorizationCallback authorizations;

  public OAuthCallbackResource(AuthorizationCallback authorizations) {
    this.authorizations = authorizations;
  }

  @GET
  @Produces({MediaType.TEXT_HTML, MediaType.APPLICATION_JSON})
  public Response callback(
      @QueryParam("code") String code,
      @QueryParam("state") String state,
      @QueryParam("error") String error,
      @QueryParam("iss") String iss) {
    CallbackOutcome outcome = authorizations.complete(code, state, error, iss);
    Response.ResponseBuilder response =
        outcome.returnUrl() != null
            ? Response.seeOther(URI.create(outcome.redirectTarget()))
            : Response.ok(CallbackPage.render(outcome), MediaType.TEXT_HTML_TYPE);
    return response
        .header("Cache-Control", "no-store")
        .header("Referrer-Policy", "no-referrer")
        .header("X-Content-Type-Options", "nosniff")
        .header("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'")
        .build();
  }
}
