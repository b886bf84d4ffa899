package dev.tokenbroker.provider;

import dev.tokenbroker.api.Page;
import dev.tokenbroker.api.Syntax;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.ResponseStatus;

/** Admin API for upstream providers (DESIGN §4 Providers). */
@Path("/v1/providers")
@Produces(MediaType.APPLICATION_JSON)
public class ProviderResource {

  private final ProviderService providers;
  private final DynamicRegistration dynamic;

  public ProviderResource(ProviderService providers, DynamicRegistration dynamic) {
    this.providers = providers;
    this.dynamic = dynamic;
  }

  @PUT
  @Path("/{providerId}")
  @Consumes(MediaType.APPLICATION_JSON)
  public Response put(@PathParam("providerId") String id, @NotNull @Valid ProviderRequest body) {
    ProviderService.Upsert result =
        body.preset() != null && body.preset().registersDynamically()
            ? dynamic.put(id, body)
            : providers.put(id, body);
    return Response.status(result.created() ? 201 : 200).entity(result.provider()).build();
  }

  @GET
  public Page<ProviderView> list() {
    return Page.of(providers.list());
  }

  @GET
  @Path("/{providerId}")
  public ProviderView get(@PathParam("providerId") String id) {
    return providers.get(Syntax.require("provider_id", id, Syntax.PROVIDER_ID));
  }

  @DELETE
  @Path("/{providerId}")
  @ResponseStatus(204)
  public void delete(@PathParam("providerId") String id, @QueryParam("cascade") boolean cascade) {
    providers.delete(Syntax.require("provider_id", id, Syntax.PROVIDER_ID), cascade);
  }
}
