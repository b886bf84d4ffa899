package dev.tokenbroker.authorization;

import dev.tokenbroker.api.Syntax;
import dev.tokenbroker.caller.ConsumerAccess;
import dev.tokenbroker.caller.CurrentCaller;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.jboss.resteasy.reactive.ResponseStatus;

/** Starting an authorization (DESIGN §4 Authorization). */
@Path("/v1/providers/{providerId}/authorizations")
public class AuthorizationResource {

  private final AuthorizationStarter authorizations;
  private final CurrentCaller caller;

  public AuthorizationResource(AuthorizationStarter authorizations, CurrentCaller caller) {
    this.authorizations = authorizations;
    this.caller = caller;
  }

  @POST
  @ConsumerAccess
  @Consumes(MediaType.APPLICATION_JSON)
  @Produces(MediaType.APPLICATION_JSON)
  @ResponseStatus(201)
  public AuthorizationStarted start(
      @PathParam("providerId") String providerId, @NotNull @Valid AuthorizationStart body) {
    return authorizations.start(
        caller.get(), Syntax.require("provider_id", providerId, Syntax.PROVIDER_ID), body);
  }
}
