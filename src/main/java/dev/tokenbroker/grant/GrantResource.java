package dev.tokenbroker.grant;

import dev.tokenbroker.api.Page;
import dev.tokenbroker.api.Syntax;
import dev.tokenbroker.caller.ConsumerAccess;
import dev.tokenbroker.caller.CurrentCaller;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.jboss.resteasy.reactive.ResponseStatus;

/**
 * Grants API (DESIGN §4 Grants). Consumers see and delete only grants their allow rules cover. The
 * forced refresh lives with the refresh it starts ({@code refresh.ForcedRefreshResource}).
 */
@Path("/v1/grants")
@Produces(MediaType.APPLICATION_JSON)
public class GrantResource {

  private final GrantService grants;
  private final CurrentCaller caller;

  public GrantResource(GrantService grants, CurrentCaller caller) {
    this.grants = grants;
    this.caller = caller;
  }

  @GET
  @ConsumerAccess
  public Page<GrantView> list(
      @QueryParam("provider_id") String providerId,
      @QueryParam("subject") String subject,
      @QueryParam("status") String status,
      @QueryParam("limit") String limit,
      @QueryParam("cursor") String cursor) {
    return grants.list(
        caller.get(),
        Syntax.optional("provider_id", providerId, Syntax.PROVIDER_ID),
        Syntax.optionalSubject("subject", subject),
        status,
        Syntax.limit(limit, 50, GrantService.MAX_PAGE),
        cursor);
  }

  @GET
  @Path("/{grantId}")
  @ConsumerAccess
  public GrantView get(@PathParam("grantId") String grantId) {
    return grants.get(caller.get(), Syntax.require("grant_id", grantId, Syntax.GRANT_ID));
  }

  @DELETE
  @Path("/{grantId}")
  @ConsumerAccess
  @ResponseStatus(204)
  public void delete(@PathParam("grantId") String grantId) {
    Syntax.require("grant_id", grantId, Syntax.GRANT_ID);
    grants.delete(caller.get(), grantId);
  }
}
