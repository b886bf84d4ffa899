package dev.tokenbroker.registration;

import dev.tokenbroker.api.Syntax;
import dev.tokenbroker.provider.ProviderView;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/** Admin API: register the broker at a dynamically registered provider's host again, now. */
@Path("/v1/providers/{providerId}/registration")
@Produces(MediaType.APPLICATION_JSON)
public class RegistrationResource {

  private final RegistrationService registrations;

  public RegistrationResource(RegistrationService registrations) {
    this.registrations = registrations;
  }

  @POST
  public ProviderView registerAgain(@PathParam("providerId") String id) {
    return registrations.registerAgain(
        Syntax.require("provider_id", id, Syntax.PROVIDER_ID), "asked for by an administrator");
  }
}
