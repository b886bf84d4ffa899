package dev.tokenbroker.outbound;

import static dev.tokenbroker.support.Api.admin;
import static dev.tokenbroker.support.Api.as;
import static dev.tokenbroker.support.Api.unique;
import static org.hamcrest.Matchers.anyOf;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tokenbroker.support.Api;
import dev.tokenbroker.support.ConnectionCounter;
import dev.tokenbroker.support.Flows;
import dev.tokenbroker.support.ScriptedResolver;
import dev.tokenbroker.support.SecretLeakGuard;
import io.quarkus.test.junit.QuarkusTest;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * DESIGN §6: the outbound policy is checked again on the address each connection goes to. A
 * provider stored with a name that later resolves to a refused address (127.0.0.2: loopback, and
 * not among the test profile's allowed 127.0.0.1) gets no connection at all; a listener on every
 * loopback address counts what arrives.
 */
@QuarkusTest
@ExtendWith(SecretLeakGuard.class)
class ConnectionTimeCheckTest {

  private static final String HOST = "rebind.test";

  private ConnectionCounter listener;
  private String provider;
  private String consumer;
  private String subject;

  @BeforeEach
  void listenerAndProvider() {
    listener = new ConnectionCounter();
    provider = unique("rebinding");
    String base = "https://" + HOST + ":" + listener.port();
    Map<String, Object> body = Api.genericProvider();
    body.put("token_url", base + "/token");
    body.put("authorization_url", base + "/authorize");
    admin().body(body).put("/v1/providers/" + provider).then().statusCode(201);
    subject = unique("learner");
    Flows.importGrant(provider, subject, "rt-" + unique("x"));
    consumer = Api.consumer(unique("svc"), provider, List.of("*"));
  }

  @AfterEach
  void close() {
    ScriptedResolver.forget(HOST);
    listener.close();
  }

  private io.restassured.response.ValidatableResponse tokenRequest() {
    return as(consumer)
        .body(Map.of("provider_id", provider, "subject", subject))
        .post("/v1/tokens")
        .then();
  }

  @Test
  void aNameResolvingToARefusedAddressAfterItWasStoredGetsNoConnection() {
    ScriptedResolver.answer(HOST, "127.0.0.2");
    tokenRequest()
        .statusCode(502)
        .contentType("application/problem+json")
        .body("code", equalTo("url_not_allowed"));
    assertEquals(0, listener.connections(), "nothing reached the refused address");
  }

  @Test
  void aNameRebindingBetweenTheCheckAndTheConnectionIsRefusedAtTheGate() {
    // the check before the call sees an allowed address, the connection a refused one
    ScriptedResolver.answer(HOST, "127.0.0.1", "127.0.0.2");
    // past the check, the gate refuses the tunnel: the call fails as unreachable
    tokenRequest().statusCode(503).body("code", equalTo("upstream_unavailable"));
    assertEquals(0, listener.connections(), "nothing reached the rebound address");
  }

  @Test
  void anAllowedAddressOfTheNameIsConnectedToThroughTheGate() {
    ScriptedResolver.answer(HOST, "127.0.0.1");
    // the listener speaks no TLS, so the call fails; what counts is that the connection was made
    tokenRequest().statusCode(anyOf(equalTo(502), equalTo(503)));
    assertTrue(listener.connections() >= 1, "the gate connected to the allowed address");
    String metrics = Api.management().get("/q/metrics").asString();
    assertTrue(!metrics.contains(HOST), "the gate's CONNECT targets are no metric series");
  }
}
