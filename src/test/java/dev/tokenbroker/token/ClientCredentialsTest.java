package dev.tokenbroker.token;

import static dev.tokenbroker.support.Api.admin;
import static dev.tokenbroker.support.Api.as;
import static dev.tokenbroker.support.Api.unique;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tokenbroker.simulator.InjectSimulator;
import dev.tokenbroker.simulator.ProviderSimulator;
import dev.tokenbroker.support.Api;
import dev.tokenbroker.support.Concurrently;
import dev.tokenbroker.support.Flows;
import dev.tokenbroker.support.SecretLeakGuard;
import dev.tokenbroker.support.SimulatorProfile;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** client_credentials providers (Open Badge Factory style) and the minimum request interval. */
@QuarkusTest
@ExtendWith(SecretLeakGuard.class)
@TestProfile(SimulatorProfile.class)
class ClientCredentialsTest {

  @InjectSimulator ProviderSimulator sim;

  private String provider;
  private String consumer;

  @BeforeEach
  void setUp() {
    sim.reset();
    provider = unique("obf");
    consumer = Api.consumer(unique("svc"), provider, List.of("*"));
  }

  @Test
  void firstUseCreatesTheClientGrantAndConcurrentCallersShareOneToken() throws Exception {
    register("client_secret_basic", 2);
    sim.latency(200);
    List<Response> responses =
        Concurrently.run(
            100, () -> as(consumer).body(Map.of("provider_id", provider)).post("/v1/tokens"));
    Set<String> tokens = new HashSet<>();
    for (Response r : responses) {
      assertEquals(200, r.statusCode(), r.asString());
      tokens.add(r.path("access_token"));
    }
    assertEquals(1, tokens.size());
    assertEquals(1, sim.tokenCalls("client_credentials"));
    admin()
        .get("/v1/grants?provider_id=" + provider)
        .then()
        .body("items.size()", equalTo(1))
        .body("items[0].subject", equalTo("_client"))
        .body("items[0].id", startsWith("grt_"));
  }

  @Test
  void credentialsInThePostBodyWorkToo() {
    register("client_secret_post", 0);
    as(consumer)
        .body(Map.of("provider_id", provider, "subject", "_client"))
        .post("/v1/tokens")
        .then()
        .statusCode(200)
        .header("Cache-Control", "no-store");
    as(consumer)
        .body(Map.of("provider_id", provider, "subject", "someone"))
        .post("/v1/tokens")
        .then()
        .statusCode(400)
        .body("invalid_params[0].name", equalTo("subject"));
  }

  @Test
  void minimumIntervalHoldsUnderConcurrentForcedRefreshes() throws Exception {
    register("client_secret_basic", 2);
    String grantId = Flows.clientCredentialsGrant(consumer, provider);
    List<Integer> statuses =
        Concurrently.run(3, () -> admin().post("/v1/grants/" + grantId + "/refresh").statusCode());
    assertTrue(statuses.stream().allMatch(s -> s == 200), statuses.toString());
    int calls = sim.tokenCalls("client_credentials");
    assertTrue(calls >= 2, "forced refreshes reached the provider: " + calls);
    assertTrue(sim.minimumGapMillis() >= 2_000, "gap " + sim.minimumGapMillis() + " ms");
  }

  @Test
  void rejectedClientCredentialsAreAnOperatorError() {
    register("client_secret_basic", 0);
    sim.failNext(ProviderSimulator.Fault.oauthError(401, "invalid_client"));
    as(consumer)
        .body(Map.of("provider_id", provider))
        .post("/v1/tokens")
        .then()
        .statusCode(502)
        .body("code", equalTo("upstream_rejected"));
  }

  private void register(String authMethod, int minInterval) {
    admin()
        .body(
            Map.of(
                "preset",
                "open-badge-factory",
                "token_url",
                sim.baseUrl() + "/token",
                "client_id",
                sim.clientId(),
                "client_secret",
                sim.clientSecret(),
                "client_auth_method",
                authMethod,
                "min_token_request_interval_seconds",
                minInterval))
        .put("/v1/providers/" + provider)
        .then()
        .statusCode(201)
        .body("grant_type", equalTo("client_credentials"));
  }
}
