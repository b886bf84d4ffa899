package dev.tokenbroker.connection;

import dev.tokenbroker.api.Syntax;
import dev.tokenbroker.caller.CurrentCaller;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/**
 * {@code POST /v1/providers/{id}/test} (admin): checks that the broker can reach the provider and
 * that the provider accepts the broker's client credentials. 200 with the checks either way; the
 * test itself failing is not an error of the request.
 */
@Path("/v1/providers/{providerId}/test")
public class ConnectionTestResource {

  private final ConnectionTester tester;
  private final CurrentCaller caller;

  public ConnectionTestResource(ConnectionTester tester, CurrentCaller caller) {
    this.tester = tester;
    this.caller = caller;
  }

  @POST
  @Produces(MediaType.APPLICATION_JSON)
  public ConnectionTestResult test(@PathParam("providerId") String providerId) {
    return tester.test(caller.get(), Syntax.require("provider_id", providerId, Syntax.PROVIDER_ID));
  }
}
