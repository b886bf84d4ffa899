package dev.tokenbroker.authorization;

import static dev.tokenbroker.support.Api.admin;
import static dev.tokenbroker.support.Api.as;
import static dev.tokenbroker.support.Api.unique;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tokenbroker.simulator.InjectSimulator;
import dev.tokenbroker.simulator.ProviderSimulator;
import dev.tokenbroker.support.Api;
import dev.tokenbroker.support.AuditTrail;
import dev.tokenbroker.support.Flows;
import dev.tokenbroker.support.SecretLeakGuard;
import dev.tokenbroker.support.SettableClock;
import dev.tokenbroker.support.SimulatorProfile;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.ValidatableResponse;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Consent phishing (RFC 9700 §4.7) tried through the public API: a flow started for one subject is
 * approved at the simulator by another platform account, and the app at its return URL confirms the
 * subject of its own session (DESIGN §6 Authorization integrity).
 */
@QuarkusTest
@ExtendWith(SecretLeakGuard.class)
@TestProfile(SimulatorProfile.class)
class ConsentConfirmationTest {

  @Inject Clock brokerClock;

  @InjectSimulator ProviderSimulator sim;
  @Inject ConsentConfirmation confirmations;

  private String provider;
  private String app;

  @BeforeEach
  void setUp() {
    sim.reset();
    provider = unique("consent");
    Flows.registerCodeProvider(provider, sim, Map.of("pkce", "S256"));
    app = Api.consumer(unique("app"), provider, List.of("r:*"));
  }

  @AfterEach
  void rewindClock() {
    ((SettableClock) brokerClock).rewind();
  }

  @Test
  void aVictimsApprovalOfTheAttackersLinkIsRevokedAndNeverServed() {
    sim.loginAs("victim");
    String location = Flows.authorizeUnconfirmed(provider, app, "attacker", List.of("r:profile"));
    assertTrue(location.startsWith("https://app.example.test/done?status=connected&grant_id=grt_"));
    String grantId = Flows.queryParam(location, "grant_id");
    String confirmation = Flows.queryParam(location, "confirmation");
    assertNotNull(confirmation, location);
    assertEquals(1, sim.tokenCalls("authorization_code"), "the code was exchanged");

    // pending: served to nobody, and no grant exists yet
    token(app, "attacker", 404).body("code", equalTo("grant_not_found"));
    admin().get("/v1/grants/" + grantId).then().statusCode(404);

    // the app at its return URL sees the victim's session, not the attacker's
    Flows.confirm(app, confirmation, "victim")
        .statusCode(409)
        .contentType("application/problem+json")
        .body("code", equalTo("confirmation_mismatch"));
    assertEquals(1, sim.revocations(), "the victim's new tokens were revoked upstream");

    Flows.confirm(app, confirmation, "attacker")
        .statusCode(400)
        .body("code", equalTo("invalid_confirmation"));
    token(app, "attacker", 404);
    token(app, "victim", 404);
    admin().get("/v1/grants/" + grantId).then().statusCode(404);
  }

  @Test
  void aMismatchLeavesTheExistingGrantOnItsPreviousTokens() {
    sim.loginAs("user-1");
    String grantId = Flows.authorizedGrant(provider, "user-1");
    String before = token(Api.ADMIN_KEY, "user-1", 200).extract().path("access_token");
    assertEquals("user-1", sim.accountOf(before));

    sim.loginAs("someone-else");
    String location = Flows.authorizeUnconfirmed(provider, app, "user-1", List.of("r:profile"));
    assertEquals(grantId, Flows.queryParam(location, "grant_id"), "the grant it would replace");
    assertEquals(
        before,
        token(app, "user-1", 200).extract().path("access_token"),
        "the pending tokens are not served");

    Flows.confirm(app, Flows.queryParam(location, "confirmation"), "someone-else")
        .statusCode(409)
        .body("code", equalTo("confirmation_mismatch"));
    assertEquals(1, sim.revocations(), "only the pending refresh token was revoked");
    assertTrue(sim.accessTokenActive(before));
    assertEquals(before, token(app, "user-1", 200).extract().path("access_token"));
    admin().post("/v1/grants/" + grantId + "/refresh").then().statusCode(200);
    String refreshed = token(app, "user-1", 200).extract().path("access_token");
    assertNotEquals(before, refreshed);
    assertEquals("user-1", sim.accountOf(refreshed), "the grant still acts for user-1");
    assertEquals(0, sim.reuseDetections());
  }

  @Test
  void theConfirmingAppGetsTheGrantAndOnlyThenAreItsTokensServed() {
    sim.loginAs("user-2");
    String location = Flows.authorizeUnconfirmed(provider, app, "user-2", List.of("r:profile"));
    String grantId = Flows.queryParam(location, "grant_id");
    token(app, "user-2", 404);

    Flows.confirm(app, Flows.queryParam(location, "confirmation"), "user-2")
        .statusCode(200)
        .body("id", equalTo(grantId))
        .body("subject", equalTo("user-2"))
        .body("provider_id", equalTo(provider))
        .body("status", equalTo("active"));
    String served = token(app, "user-2", 200).extract().path("access_token");
    assertEquals("user-2", sim.accountOf(served));
    assertTrue(sim.accessTokenActive(served));
    Flows.confirm(app, Flows.queryParam(location, "confirmation"), "user-2")
        .statusCode(400)
        .body("code", equalTo("invalid_confirmation"));
  }

  @Test
  void anotherCallerCannotConfirmNorUseUpTheConfirmation() {
    String other = Api.consumer(unique("other"), provider, List.of("r:*"));
    String location = Flows.authorizeUnconfirmed(provider, app, "user-3", List.of("r:profile"));
    String confirmation = Flows.queryParam(location, "confirmation");

    Flows.confirm(other, confirmation, "user-3")
        .statusCode(400)
        .body("code", equalTo("invalid_confirmation"));
    Flows.confirm(Api.ADMIN_KEY, confirmation, "user-3").statusCode(400);
    token(other, "user-3", 404);

    Flows.confirm(app, confirmation, "user-3").statusCode(200);
    token(other, "user-3", 200);
    assertEquals(0, sim.revocations());
  }

  @Test
  void anUnconfirmedFlowIsDiscardedAndRevokedWhenItsTimeRunsOut() {
    SettableClock clock = (SettableClock) brokerClock;
    String location = Flows.authorizeUnconfirmed(provider, app, "user-4", List.of("r:profile"));
    String confirmation = Flows.queryParam(location, "confirmation");

    clock.advance(Duration.ofMinutes(10).plusSeconds(1));
    Flows.confirm(app, confirmation, "user-4")
        .statusCode(400)
        .body("code", equalTo("invalid_confirmation"));
    confirmations.discardExpired();
    assertEquals(1, sim.revocations(), "the waiting refresh token was revoked upstream");
    confirmations.discardExpired();
    assertEquals(1, sim.revocations(), "a flow is discarded once");
    token(app, "user-4", 404);
    List<Map<String, Object>> discarded =
        AuditTrail.await("action=authorization.discarded&provider_id=" + provider, 1);
    assertEquals(1, discarded.size());
    assertEquals("confirmation_expired", discarded.get(0).get("outcome"));
  }

  @Test
  void aFlowWithoutReturnUrlIsRefusedUnlessUnconfirmedFlowsAreAllowed() {
    as(app)
        .body(Map.of("subject", "user-5"))
        .post("/v1/providers/" + provider + "/authorizations")
        .then()
        .statusCode(400)
        .contentType("application/problem+json")
        .body("code", equalTo("return_url_required"));
    assertFalse(sim.tokenCalls("authorization_code") > 0);
  }

  @Test
  void aConfirmationIsValidated() {
    as(app)
        .body(Map.of("confirmation", "short", "subject", "user-6"))
        .post("/v1/authorizations/confirm")
        .then()
        .statusCode(400)
        .body("invalid_params[0].name", equalTo("confirmation"));
    as(app)
        .body(Map.of("confirmation", "A".repeat(43)))
        .post("/v1/authorizations/confirm")
        .then()
        .statusCode(400)
        .body("invalid_params[0].name", equalTo("subject"));
    Flows.confirm(app, "A".repeat(43), "user-6")
        .statusCode(400)
        .body("code", equalTo("invalid_confirmation"));
  }

  private ValidatableResponse token(String apiKey, String subject, int status) {
    return as(apiKey)
        .body(Map.of("provider_id", provider, "subject", subject))
        .post("/v1/tokens")
        .then()
        .statusCode(status);
  }
}
