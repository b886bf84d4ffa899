package dev.tokenbroker.grant;

import dev.tokenbroker.api.Syntax;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.jboss.resteasy.reactive.ResponseStatus;

/** {@code POST /v1/providers/{id}/grants}: admins import a refresh token obtained elsewhere. */
@Path("/v1/providers/{providerId}/grants")
public class GrantImportResource {

  private final GrantService grants;

  public GrantImportResource(GrantService grants) {
    this.grants = grants;
  }

  @POST
  @Consumes(MediaType.APPLICATION_JSON)
  @Produces(MediaType.APPLICATION_JSON)
  @ResponseStatus(201)
  public GrantView importGrant(
      @PathParam("providerId") String providerId, @NotNull @Valid GrantImport body) {
    return grants.importGrant(Syntax.require("provider_id", providerId, Syntax.PROVIDER_ID), body);
  }
}
