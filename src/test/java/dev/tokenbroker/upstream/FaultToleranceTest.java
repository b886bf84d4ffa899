package dev.tokenbroker.upstream;

import static dev.tokenbroker.support.Api.admin;
import static dev.tokenbroker.support.Api.as;
import static dev.tokenbroker.support.Api.unique;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tokenbroker.simulator.InjectSimulator;
import dev.tokenbroker.simulator.ProviderSimulator;
import dev.tokenbroker.simulator.ProviderSimulator.Fault;
import dev.tokenbroker.simulator.ProviderSimulatorResource;
import dev.tokenbroker.support.Api;
import dev.tokenbroker.support.Flows;
import dev.tokenbroker.support.SecretLeakGuard;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Retries, their limits, and the per-provider circuit breaker, against the simulator. */
@QuarkusTest
@ExtendWith(SecretLeakGuard.class)
@TestProfile(FaultToleranceTest.Guards.class)
class FaultToleranceTest {

  /** Fast retries and a small circuit window, so the test runs in seconds. */
  public static class Guards implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      return Map.of(
          "broker.upstream.retry.max-retries", "2",
          "broker.upstream.retry.delay", "50ms",
          "broker.upstream.circuit.request-volume", "4",
          "broker.upstream.circuit.failure-ratio", "0.5",
          "broker.upstream.circuit.delay", "2s",
          "broker.upstream.circuit.success-threshold", "1");
    }

    @Override
    public List<TestResourceEntry> testResources() {
      return List.of(new TestResourceEntry(ProviderSimulatorResource.class));
    }
  }

  @InjectSimulator ProviderSimulator sim;

  private String provider;
  private String consumer;

  @BeforeEach
  void setUp() {
    sim.reset();
    provider = unique("ft");
    Flows.registerCodeProvider(provider, sim, Map.of());
    consumer = Api.consumer(unique("ft"), provider, List.of("*"));
  }

  @Test
  void transientServerErrorsAreRetriedWithBackoff() {
    importGrant("retry");
    sim.failNext(Fault.status(502), Fault.status(503));
    token("retry").then().statusCode(200);
    assertEquals(3, sim.tokenCalls("refresh_token"));
    assertEquals(0, sim.reuseDetections());
  }

  @Test
  void oauthErrorsAndTimeoutsAreNeverRetried() {
    importGrant("dead");
    sim.failNext(Fault.oauthError(400, "invalid_grant"));
    token("dead").then().statusCode(409);
    assertEquals(1, sim.tokenCalls("refresh_token"));

    importGrant("slow");
    sim.failNext(new Fault(503, null, null, 4_000));
    token("slow").then().statusCode(503).body("code", equalTo("upstream_unavailable"));
    assertEquals(2, sim.tokenCalls("refresh_token"), "a timed-out refresh may have been processed");
  }

  @Test
  void circuitOpensOnOutageFailsFastAndRecovers() throws Exception {
    importGrant("c");
    for (int i = 0; i < 30; i++) {
      sim.failNext(Fault.status(503));
    }
    for (int i = 0; i < 3; i++) {
      token("c").then().statusCode(503);
    }
    int callsWhenOpen = sim.tokenCalls("refresh_token");
    token("c")
        .then()
        .statusCode(503)
        .body("code", equalTo("upstream_unavailable"))
        .header("Retry-After", notNullValue());
    assertEquals(callsWhenOpen, sim.tokenCalls("refresh_token"), "an open circuit makes no call");
    assertTrue(
        metrics().contains("broker_upstream_circuit_state{provider=\"" + provider + "\"} 2.0"));

    sim.clearFaults();
    // SmallRye Fault Tolerance keeps the circuit open for its 2-s delay on the JVM's own clock
    Awaitility.await("the circuit closes again after its delay, not before")
        .atLeast(Duration.ofSeconds(1))
        .atMost(Duration.ofSeconds(5))
        .pollInterval(Duration.ofMillis(100))
        .until(() -> token("c").statusCode() == 200);
    assertTrue(
        metrics().contains("broker_upstream_circuit_state{provider=\"" + provider + "\"} 0.0"));
    assertEquals(0, sim.reuseDetections());
  }

  private static String metrics() {
    return dev.tokenbroker.support.Api.management().get("/q/metrics").then().extract().asString();
  }

  private io.restassured.response.Response token(String subject) {
    return as(consumer)
        .body(Map.of("provider_id", provider, "subject", subject))
        .post("/v1/tokens");
  }

  private void importGrant(String subject) {
    admin()
        .body(Flows.grantImport(subject, sim.issueRefreshTokenFor("r:profile")))
        .post("/v1/providers/" + provider + "/grants")
        .then()
        .statusCode(201);
  }
}
