package dev.tokenbroker.refresh;

import dev.tokenbroker.api.Syntax;
import dev.tokenbroker.caller.CurrentCaller;
import dev.tokenbroker.grant.GrantService;
import dev.tokenbroker.grant.GrantStore;
import dev.tokenbroker.grant.GrantView;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** {@code POST /v1/grants/{id}/refresh} (DESIGN §4 Grants): an admin asks the provider now. */
@Path("/v1/grants/{grantId}/refresh")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Grant Resource")
public class ForcedRefreshResource {

  private final GrantService grants;
  private final GrantRefresher refresher;
  private final GrantStore store;
  private final CurrentCaller caller;

  public ForcedRefreshResource(
      GrantService grants, GrantRefresher refresher, GrantStore store, CurrentCaller caller) {
    this.grants = grants;
    this.refresher = refresher;
    this.store = store;
    this.caller = caller;
  }

  @POST
  @Operation(operationId = "GrantResource_refresh") // as before it moved here: generated clients
  public GrantView refresh(@PathParam("grantId") String grantId) {
    Syntax.require("grant_id", grantId, Syntax.GRANT_ID);
    grants.get(caller.get(), grantId);
    refresher.refresh(grantId, 0, true);
    return GrantView.of(store.find(grantId).orElseThrow());
  }
}
