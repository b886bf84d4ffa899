package dev.tokenbroker.audit;

import dev.tokenbroker.api.Page;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

/** {@code GET /v1/audit-events} (admin): the audit trail, newest first. */
@Path("/v1/audit-events")
@Produces(MediaType.APPLICATION_JSON)
public class AuditResource {

  private final AuditTrail trail;

  public AuditResource(AuditTrail trail) {
    this.trail = trail;
  }

  @GET
  public Page<AuditEventView> list(
      @QueryParam("action") String action,
      @QueryParam("actor") String actor,
      @QueryParam("outcome") String outcome,
      @QueryParam("provider_id") String providerId,
      @QueryParam("grant_id") String grantId,
      @QueryParam("since") String since,
      @QueryParam("until") String until,
      @QueryParam("limit") String limit,
      @QueryParam("cursor") String cursor) {
    return trail.page(
        new AuditTrail.Filter(action, actor, outcome, providerId, grantId, since, until),
        limit,
        cursor);
  }
}
