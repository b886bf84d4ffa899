package dev.tokenbroker.oauth;

import dev.tokenbroker.api.RequestIds;
import dev.tokenbroker.caller.AuthenticatedCaller;
import dev.tokenbroker.caller.PublicEndpoint;
import dev.tokenbroker.caller.RefusalLimiter;
import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import org.jboss.logging.MDC;
import org.jboss.resteasy.reactive.ResponseHeader;

/**
 * {@code POST /v1/oauth/token} (DESIGN §5): the broker as an RFC 6749 token endpoint, so that an
 * OAuth client library needs no broker-specific code. It authenticates its clients itself, as RFC
 * 6749 §2.3 asks, hence no bearer key.
 */
@Path("/v1/oauth/token")
@PublicEndpoint
public class OAuthTokenResource {

  private final OAuthClientAuthenticator clients;
  private final OAuthTokenEndpoint endpoint;
  private final OAuthErrors errors;

  public OAuthTokenResource(
      OAuthClientAuthenticator clients, OAuthTokenEndpoint endpoint, OAuthErrors errors) {
    this.clients = clients;
    this.endpoint = endpoint;
    this.errors = errors;
  }

  @POST
  @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
  @Produces(MediaType.APPLICATION_JSON)
  @ResponseHeader(name = "Cache-Control", value = "no-store")
  @ResponseHeader(name = "Pragma", value = "no-cache")
  public OAuthTokenResponse token(
      @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
      MultivaluedMap<String, String> parameters,
      @Context HttpServerRequest http) {
    try {
      TokenEndpointForm form = TokenEndpointForm.of(parameters);
      AuthenticatedCaller caller =
          clients.authenticate(authorization, form, RefusalLimiter.clientAddress(http));
      MDC.put(RequestIds.CALLER_MDC_KEY, caller.id());
      return endpoint.token(caller, form);
    } catch (RuntimeException e) {
      // also the database or Vault failing under the client's key lookup or the provider's
      throw errors.translate(e);
    }
  }
}
