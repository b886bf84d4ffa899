package dev.tokenbroker.refresh;

import static dev.tokenbroker.support.Api.admin;
import static dev.tokenbroker.support.Api.as;
import static dev.tokenbroker.support.Api.unique;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tokenbroker.simulator.InjectSimulator;
import dev.tokenbroker.simulator.ProviderSimulator;
import dev.tokenbroker.support.Api;
import dev.tokenbroker.support.Flows;
import dev.tokenbroker.support.PostgresSimulatorProfile;
import dev.tokenbroker.support.SecretLeakGuard;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Refreshes whose answer is lost after the provider processed them (the simulator rotates, then
 * drops the connection), on PostgreSQL.
 */
@QuarkusTest
@ExtendWith(SecretLeakGuard.class)
@TestProfile(PostgresSimulatorProfile.class)
class InterruptedRefreshTest {

  @InjectSimulator ProviderSimulator sim;

  private String provider;
  private String consumer;

  @BeforeEach
  void setUp() {
    sim.reset();
  }

  private void provider(int graceSeconds) {
    provider = unique("lost");
    Flows.registerCodeProvider(
        provider, sim, Map.of("refresh_token_reuse_grace_seconds", graceSeconds));
    consumer = Api.consumer(unique("app"), provider, List.of("*"));
  }

  @Test
  void aLostAnswerWithinTheGraceWindowIsRecoveredWithTheSameRefreshToken() {
    provider(30);
    sim.reuseGrace(Duration.ofSeconds(30)).loseNextResponses(1);
    String grantId = importGrant("graced");

    Response response = tokenRequest("graced");
    assertEquals(200, response.statusCode(), response.asString());
    assertEquals(1, sim.lostResponses(), "the first answer was dropped after rotating");
    assertEquals(1, sim.graceReuses(), "the same refresh token was presented again");
    assertEquals(0, sim.reuseDetections());
    assertTrue(sim.accessTokenActive(response.path("access_token")));

    // the rotated refresh token from the repeated answer was stored: the next refresh works
    admin().post("/v1/grants/" + grantId + "/refresh").then().statusCode(200);
    admin().get("/v1/grants/" + grantId).then().body("status", equalTo("active"));
    assertEquals(0, sim.reuseDetections());
  }

  @Test
  void aLostAnswerWithoutGraceEndsInRefreshInterruptedNotASilentlyBrokenGrant() {
    provider(0);
    sim.loseNextResponses(1);
    String grantId = importGrant("lost");

    tokenRequest("lost")
        .then()
        .statusCode(503)
        .body("code", equalTo("upstream_unavailable"))
        .header("Retry-After", org.hamcrest.Matchers.notNullValue());
    assertEquals(1, sim.lostResponses());
    assertEquals(1, sim.tokenCalls("refresh_token"), "no repeat without a grace window");

    // the next refresh can only present the rotated-away token: the provider refuses it
    tokenRequest("lost").then().statusCode(409).body("code", equalTo("reauthorization_required"));
    assertEquals(1, sim.reuseDetections());
    admin()
        .get("/v1/grants/" + grantId)
        .then()
        .body("status", equalTo("reauthorization_required"))
        .body("last_error.code", equalTo("refresh_interrupted"));
    String metrics = dev.tokenbroker.support.Api.management().get("/q/metrics").asString();
    assertTrue(
        metrics.contains("broker_refresh_interrupted_total{provider=\"" + provider + "\"}"),
        "the interrupted-refresh counter names the provider");
  }

  @Test
  void aPlainInvalidGrantIsNotReportedAsInterrupted() {
    provider(0);
    String grantId = importGrant("revoked");
    sim.failNext(ProviderSimulator.Fault.oauthError(400, "invalid_grant"));
    tokenRequest("revoked").then().statusCode(409);
    admin().get("/v1/grants/" + grantId).then().body("last_error.code", equalTo("invalid_grant"));
  }

  private String importGrant(String subject) {
    return Flows.importGrant(provider, subject, sim.issueRefreshTokenFor("r:profile"));
  }

  private Response tokenRequest(String subject) {
    return as(consumer)
        .body(Map.of("provider_id", provider, "subject", subject, "min_validity_seconds", 30))
        .post("/v1/tokens");
  }
}
