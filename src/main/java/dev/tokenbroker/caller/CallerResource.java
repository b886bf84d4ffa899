package dev.tokenbroker.caller;

import dev.tokenbroker.api.Page;
import dev.tokenbroker.api.Syntax;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.jboss.resteasy.reactive.ResponseStatus;

/** Admin API for callers and their API keys (DESIGN §4 Callers). */
@Path("/v1/callers")
@Produces(MediaType.APPLICATION_JSON)
public class CallerResource {

  private final CallerService callers;

  public CallerResource(CallerService callers) {
    this.callers = callers;
  }

  @POST
  @Consumes(MediaType.APPLICATION_JSON)
  @ResponseStatus(201)
  public CallerView.Created create(@NotNull @Valid CallerRequest body) {
    return callers.create(body);
  }

  @GET
  public Page<CallerView> list() {
    return Page.of(callers.list());
  }

  @GET
  @Path("/{id}")
  public CallerView get(@PathParam("id") String id) {
    return callers.get(Syntax.require("caller_id", id, Syntax.CALLER_ID));
  }

  @DELETE
  @Path("/{id}")
  @ResponseStatus(204)
  public void delete(@PathParam("id") String id) {
    callers.delete(Syntax.require("caller_id", id, Syntax.CALLER_ID));
  }

  @POST
  @Path("/{id}/api-keys")
  @ResponseStatus(201)
  public CallerView.NewKey newKey(@PathParam("id") String id) {
    return callers.newKey(Syntax.require("caller_id", id, Syntax.CALLER_ID));
  }

  @DELETE
  @Path("/{id}/api-keys/{keyId}")
  @ResponseStatus(204)
  public void deleteKey(@PathParam("id") String id, @PathParam("keyId") String keyId) {
    callers.deleteKey(
        Syntax.require("caller_id", id, Syntax.CALLER_ID),
        Syntax.require("key_id", keyId, Syntax.KEY_ID));
  }
}
