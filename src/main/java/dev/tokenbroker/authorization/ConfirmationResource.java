package dev.tokenbroker.authorization;

import dev.tokenbroker.caller.ConsumerAccess;
import dev.tokenbroker.caller.CurrentCaller;
import dev.tokenbroker.grant.GrantView;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/**
 * {@code POST /v1/authorizations/confirm}: the app that started an authorization confirms, from its
 * own session, the subject whose consent came back (DESIGN §6 Authorization integrity).
 */
@Path("/v1/authorizations/confirm")
public class ConfirmationResource {

  private final ConsentConfirmation confirmations;
  private final CurrentCaller caller;

  public ConfirmationResource(ConsentConfirmation confirmations, CurrentCaller caller) {
    this.confirmations = confirmations;
    this.caller = caller;
  }

  @POST
  @ConsumerAccess
  @Consumes(MediaType.APPLICATION_JSON)
  @Produces(MediaType.APPLICATION_JSON)
  public GrantView confirm(@NotNull @Valid ConfirmationBody body) {
    return confirmations.confirm(caller.get(), body.confirmation(), body.subject());
  }
}
