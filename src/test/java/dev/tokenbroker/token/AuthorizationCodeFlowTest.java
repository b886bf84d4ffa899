package dev.tokenbroker.token;

import static dev.tokenbroker.support.Api.admin;
import static dev.tokenbroker.support.Api.as;
import static dev.tokenbroker.support.Api.unique;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tokenbroker.simulator.InjectSimulator;
import dev.tokenbroker.simulator.ProviderSimulator;
import dev.tokenbroker.support.Api;
import dev.tokenbroker.support.Flows;
import dev.tokenbroker.support.SecretLeakGuard;
import dev.tokenbroker.support.SettableClock;
import dev.tokenbroker.support.SimulatorProfile;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The authorization-code flow end to end through the public API, against the simulator. */
@QuarkusTest
@ExtendWith(SecretLeakGuard.class)
@TestProfile(SimulatorProfile.class)
class AuthorizationCodeFlowTest {

  @InjectSimulator ProviderSimulator sim;

  @Inject Clock clock;

  private String provider;
  private String consumer;

  @BeforeEach
  void setUp() {
    sim.reset();
    provider = unique("sim");
    Flows.registerCodeProvider(provider, sim, Map.of("pkce", "S256"));
    consumer = Api.consumer(unique("app"), provider, List.of("r:*"));
  }

  @AfterEach
  void rewindClock() {
    ((SettableClock) clock).rewind();
  }

  @Test
  void authorizeCallbackTokenExpiryRefreshRotation() throws Exception {
    String location =
        Flows.authorize(provider, consumer, "user-42", List.of("r:profile", "r:backpack"));
    assertTrue(
        location.startsWith("https://app.example.test/done?status=connected&grant_id=grt_"),
        location);
    String grantId = Flows.queryParam(location, "grant_id");
    assertEquals(1, sim.tokenCalls("authorization_code"));

    String first =
        token("user-42", List.of("r:backpack"), 60)
            .body("grant_id", equalTo(grantId))
            .body("token_type", equalTo("Bearer"))
            .body("scope", equalTo("r:profile r:backpack"))
            .body("expires_in", greaterThan(3500))
            .body("expires_at", notNullValue())
            .extract()
            .path("access_token");
    assertTrue(sim.accessTokenActive(first));
    String again = token("user-42", null, 30).extract().path("access_token");
    assertEquals(first, again, "a valid cached token is served again");
    assertEquals(0, sim.tokenCalls("refresh_token"));

    // an admin refresh asks the provider now; the provider rotates the refresh token
    admin().post("/v1/grants/" + grantId + "/refresh").then().statusCode(200);
    String refreshed = token("user-42", null, 30).extract().path("access_token");
    assertNotEquals(first, refreshed);
    assertEquals(1, sim.tokenCalls("refresh_token"));

    // short-lived tokens: once expired, the next request refreshes with the rotated token
    sim.accessTokenLifetime(2);
    admin()
        .post("/v1/grants/" + grantId + "/refresh")
        .then()
        .statusCode(200)
        .body("status", equalTo("active"))
        .body("last_refreshed_at", notNullValue());
    String shortLived = token("user-42", null, 0).extract().path("access_token");
    int before = sim.tokenCalls("refresh_token");
    ((SettableClock) clock).advance(Duration.ofMillis(2_200));
    String afterExpiry = token("user-42", null, 0).extract().path("access_token");
    assertNotEquals(shortLived, afterExpiry);
    assertEquals(before + 1, sim.tokenCalls("refresh_token"), "one refresh after expiry");
    assertEquals(0, sim.reuseDetections(), "a rotated-away refresh token was reused");
    assertTrue(sim.accessTokenActive(afterExpiry));
  }

  @Test
  void noTokenCodeVerifierOrStateEverReachesTheLog() throws Exception {
    List<String> secrets = new java.util.ArrayList<>();
    try (dev.tokenbroker.support.LogCapture logs = dev.tokenbroker.support.LogCapture.start()) {
      var started =
          as(consumer)
              .body(Map.of("subject", "leak-1", "return_url", "https://app.example.test/x"))
              .post("/v1/providers/" + provider + "/authorizations")
              .then()
              .statusCode(201)
              .extract();
      secrets.add(started.path("state"));
      String callback = Flows.followAuthorization(started.path("authorization_url"));
      String location = Flows.callbackLocation(callback);
      String grantId = Flows.queryParam(location, "grant_id");
      secrets.add(Flows.queryParam(location, "confirmation"));
      Flows.confirm(consumer, Flows.queryParam(location, "confirmation"), "leak-1").statusCode(200);
      java.net.URI replay = java.net.URI.create(callback);
      given()
          .redirects()
          .follow(false)
          .urlEncodingEnabled(false)
          .get(replay.getRawPath() + "?" + replay.getRawQuery())
          .then()
          .statusCode(400);
      token("leak-1", null, 30);
      admin().post("/v1/grants/" + grantId + "/refresh").then().statusCode(200);
      secrets.add(token("leak-1", null, 30).extract().path("access_token"));
      sim.failNext(ProviderSimulator.Fault.oauthError(400, "invalid_grant"));
      admin().post("/v1/grants/" + grantId + "/refresh").then().statusCode(409);
      String imported = sim.issueRefreshTokenFor("r:profile");
      String importedId =
          admin()
              .body(
                  Map.of(
                      "subject",
                      "leak-2",
                      "refresh_token",
                      imported,
                      "scopes",
                      List.of("r:profile"),
                      "access_token",
                      "imported-access-token-value",
                      "expires_in",
                      60))
              .post("/v1/providers/" + provider + "/grants")
              .then()
              .statusCode(201)
              .extract()
              .path("id");
      as(consumer).delete("/v1/grants/" + importedId).then().statusCode(204);
      secrets.add("imported-access-token-value");
      secrets.add(sim.clientSecret());
      secrets.addAll(sim.issuedSecrets());
      List<String> lines = logs.lines();
      assertTrue(
          lines.stream().anyMatch(l -> l.contains("Stored grant " + grantId)),
          "the log was captured: " + lines);
      for (String line : lines) {
        for (String secret : secrets) {
          assertTrue(!line.contains(secret), "a secret reached the log: " + line);
        }
      }
    }
  }

  @Test
  void reauthorizingRevokesTheReplacedRefreshTokenUpstreamOnceTheNewOneIsStored() {
    String grantId =
        Flows.queryParam(
            Flows.authorize(provider, consumer, "user-9", List.of("r:profile")), "grant_id");
    assertEquals(0, sim.revocations());
    Flows.authorize(provider, consumer, "user-9", List.of("r:profile"));
    assertEquals(1, sim.revocations(), "the replaced refresh token was revoked");
    admin().post("/v1/grants/" + grantId + "/refresh").then().statusCode(200);
    assertEquals(0, sim.reuseDetections(), "the new refresh token is the one in use");
  }

  @Test
  void deletingTheProviderWithCascadeRevokesEachGrantUpstream() throws Exception {
    for (String subject : List.of("c-1", "c-2", "c-3")) {
      admin()
          .body(Flows.grantImport(subject, sim.issueRefreshTokenFor("r:profile")))
          .post("/v1/providers/" + provider + "/grants")
          .then()
          .statusCode(201);
    }
    admin().delete("/v1/providers/" + provider).then().statusCode(409);
    assertEquals(0, sim.revocations());
    admin().delete("/v1/providers/" + provider + "?cascade=true").then().statusCode(204);
    Awaitility.await("every deleted grant's refresh token is revoked")
        .atMost(Duration.ofSeconds(10))
        .until(() -> sim.revocations() >= 3);
    assertEquals(3, sim.revocations(), "each once");
  }

  @Test
  void reauthorizingTheSameSubjectKeepsTheGrantId() {
    String first =
        Flows.queryParam(
            Flows.authorize(provider, consumer, "user-7", List.of("r:profile")), "grant_id");
    String second =
        Flows.queryParam(
            Flows.authorize(provider, consumer, "user-7", List.of("r:profile", "r:backpack")),
            "grant_id");
    assertEquals(first, second);
    admin()
        .get("/v1/grants/" + first)
        .then()
        .statusCode(200)
        .body("scopes", equalTo(List.of("r:profile", "r:backpack")))
        .body("subject", equalTo("user-7"))
        .body("provider_id", equalTo(provider));
  }

  @Test
  void grantedScopesFallBackToRequestedWhenResponseHasNone() {
    sim.omitScope(true);
    String grantId =
        Flows.queryParam(
            Flows.authorize(provider, consumer, "user-8", List.of("r:backpack")), "grant_id");
    admin().get("/v1/grants/" + grantId).then().body("scopes", equalTo(List.of("r:backpack")));
  }

  @Test
  void authorizationUrlCarriesStateAndPkceAndStateIsSingleUse() {
    var started =
        as(consumer)
            .body(Map.of("subject", "user-1", "return_url", "https://app.example.test/x"))
            .post("/v1/providers/" + provider + "/authorizations")
            .then()
            .statusCode(201)
            .body("state", notNullValue())
            .body("expires_at", notNullValue())
            .extract();
    String url = started.path("authorization_url");
    String state = started.path("state");
    assertTrue(
        url.startsWith(
            sim.baseUrl() + "/authorize?response_type=code&client_id=" + sim.clientId()));
    assertTrue(url.contains("code_challenge_method=S256"));
    assertTrue(url.contains("scope=r%3Aprofile"));
    assertTrue(state.length() >= 43, "state carries at least 256 bits");
    assertEquals(state, Flows.queryParam(url, "state"));

    String callback = Flows.followAuthorization(url);
    Flows.callbackLocation(callback);
    java.net.URI uri = java.net.URI.create(callback);
    given()
        .redirects()
        .follow(false)
        .urlEncodingEnabled(false)
        .get(uri.getRawPath() + "?" + uri.getRawQuery())
        .then()
        .statusCode(400)
        .contentType("application/problem+json")
        .body("code", equalTo("invalid_state"));
    given()
        .get("/v1/oauth/callback?code=x&state=unknown")
        .then()
        .statusCode(400)
        .body("code", equalTo("invalid_state"));
    given()
        .get("/v1/oauth/callback?code=x")
        .then()
        .statusCode(400)
        .body("code", equalTo("invalid_state"));
  }

  @Test
  void withAnIssuerACodeIsExchangedOnlyForAResponseCarryingIt() {
    String strict = unique("strict");
    Flows.registerCodeProvider(strict, sim, Map.of("issuer", sim.baseUrl()));
    String app = Api.consumer(unique("app"), strict, List.of("r:*"));
    String failed = "https://app.example.test/done?status=failed&error=issuer_mismatch";

    sim.sendIssuer(null);
    assertEquals(failed, Flows.authorize(strict, app, "user-9", List.of("r:profile")));
    sim.sendIssuer("https://other-server.example.test");
    assertEquals(failed, Flows.authorize(strict, app, "user-9", List.of("r:profile")));
    assertEquals(0, sim.tokenCalls("authorization_code"), "no code of those was exchanged");

    sim.sendIssuer(sim.baseUrl());
    String connected = Flows.authorize(strict, app, "user-9", List.of("r:profile"));
    assertTrue(connected.contains("status=connected"), connected);
    assertEquals(1, sim.tokenCalls("authorization_code"));

    // without an issuer nothing changes: a response with or without iss is redeemed
    sim.sendIssuer("https://other-server.example.test");
    String lenient = Flows.authorize(provider, consumer, "user-9", List.of("r:profile"));
    assertTrue(lenient.contains("status=connected"), lenient);
  }

  @Test
  void deniedAndFailedAuthorizationsRedirectWithStatus() {
    sim.denyAuthorization(true);
    String denied = Flows.authorize(provider, consumer, "user-9", List.of("r:profile"));
    assertEquals("https://app.example.test/done?status=denied", denied);

    sim.denyAuthorization(false);
    sim.failNext(ProviderSimulator.Fault.status(500));
    String failed = Flows.authorize(provider, consumer, "user-9", List.of("r:profile"));
    assertEquals("https://app.example.test/done?status=failed&error=upstream_unavailable", failed);

    sim.failNext(ProviderSimulator.Fault.oauthError(400, "invalid_grant"));
    String rejected = Flows.authorize(provider, consumer, "user-9", List.of("r:profile"));
    assertEquals("https://app.example.test/done?status=failed&error=invalid_grant", rejected);
  }

  @Test
  void startingAuthorizationsIsValidated() {
    as(consumer)
        .body(Map.of("subject", "u", "return_url", "https://evil.example.test/"))
        .post("/v1/providers/" + provider + "/authorizations")
        .then()
        .statusCode(400)
        .body("code", equalTo("invalid_request"))
        .body("invalid_params[0].name", equalTo("return_url"));
    as(consumer)
        .body(Map.of("subject", "u", "scopes", List.of("admin:all")))
        .post("/v1/providers/" + provider + "/authorizations")
        .then()
        .statusCode(400)
        .body("invalid_params[0].name", equalTo("scopes"));
    as(consumer)
        .body(Map.of("subject", "u", "scopes", List.of("rw:backpack")))
        .post("/v1/providers/" + provider + "/authorizations")
        .then()
        .statusCode(403)
        .body("code", equalTo("forbidden"));
    as(consumer)
        .body(Map.of("scopes", List.of("r:profile")))
        .post("/v1/providers/" + provider + "/authorizations")
        .then()
        .statusCode(400)
        .body("invalid_params[0].name", equalTo("subject"));
    admin()
        .body(Map.of("subject", "u"))
        .post("/v1/providers/nope/authorizations")
        .then()
        .statusCode(404)
        .body("code", equalTo("provider_not_found"));
  }

  @Test
  void tokenRequestsAreCheckedAgainstGrantAndAllowRules() {
    Flows.authorize(provider, consumer, "user-5", List.of("r:profile"));
    token("user-5", List.of("rw:backpack"), 30, 403).body("code", equalTo("forbidden"));
    token("user-5", List.of("r:backpack"), 30, 422)
        .contentType("application/problem+json")
        .body("code", equalTo("scope_not_granted"));
    admin()
        .body(
            Map.of("provider_id", provider, "subject", "user-5", "scopes", List.of("rw:backpack")))
        .post("/v1/tokens")
        .then()
        .statusCode(422)
        .body("code", equalTo("scope_not_granted"));
    token("nobody", null, 30, 404).body("code", equalTo("grant_not_found"));
    as(consumer)
        .body(Map.of("provider_id", provider))
        .post("/v1/tokens")
        .then()
        .statusCode(400)
        .body("invalid_params[0].name", equalTo("subject"));
    as(consumer)
        .body(Map.of("provider_id", provider, "subject", "user-5", "min_validity_seconds", -1))
        .post("/v1/tokens")
        .then()
        .statusCode(400)
        .body("invalid_params[0].name", equalTo("min_validity_seconds"));
    as(consumer)
        .body(Map.of("provider_id", provider, "subject", "user-5", "extra", 1))
        .post("/v1/tokens")
        .then()
        .statusCode(400)
        .body("invalid_params[0].name", equalTo("extra"));
    String other = Api.consumer(unique("other"), "some-other-provider", List.of("*"));
    as(other)
        .body(Map.of("provider_id", provider, "subject", "user-5"))
        .post("/v1/tokens")
        .then()
        .statusCode(403)
        .body("code", equalTo("forbidden"));
    given()
        .contentType("application/json")
        .body(Map.of("provider_id", provider, "subject", "user-5"))
        .post("/v1/tokens")
        .then()
        .statusCode(401);
  }

  @Test
  void invalidGrantMarksTheGrantForReauthorization() {
    String grantId =
        Flows.queryParam(
            Flows.authorize(provider, consumer, "user-6", List.of("r:profile")), "grant_id");
    sim.failNext(ProviderSimulator.Fault.oauthError(400, "invalid_grant"));
    admin()
        .post("/v1/grants/" + grantId + "/refresh")
        .then()
        .statusCode(409)
        .body("code", equalTo("reauthorization_required"));
    admin()
        .get("/v1/grants/" + grantId)
        .then()
        .statusCode(200)
        .body("status", equalTo("reauthorization_required"))
        .body("last_error.code", equalTo("invalid_grant"))
        .body("last_error.at", notNullValue())
        .body("access_token_expires_at", nullValue());
    token("user-6", null, 0, 409).body("code", equalTo("reauthorization_required"));
    admin()
        .get("/v1/grants?status=reauthorization_required&provider_id=" + provider)
        .then()
        .body("items.size()", equalTo(1));
    assertEquals(1, sim.tokenCalls("refresh_token"), "invalid_grant is never retried");

    String again =
        Flows.queryParam(
            Flows.authorize(provider, consumer, "user-6", List.of("r:profile")), "grant_id");
    assertEquals(grantId, again);
    admin()
        .get("/v1/grants/" + grantId)
        .then()
        .body("status", equalTo("active"))
        .body("last_error", nullValue());
    token("user-6", null, 30);
  }

  @Test
  void upstreamFailuresMapToTheContract() {
    importGrant("user-10");
    sim.failNext(ProviderSimulator.Fault.oauthError(401, "invalid_client"));
    token("user-10", null, 30, 502).body("code", equalTo("upstream_rejected"));
    sim.failNext(ProviderSimulator.Fault.status(503));
    token("user-10", null, 30, 503)
        .body("code", equalTo("upstream_unavailable"))
        .header("Retry-After", notNullValue())
        .body("retry_after_seconds", greaterThan(0));
    // the provider's own Retry-After (not the broker's default of 5 s), which the next call waits
    sim.failNext(ProviderSimulator.Fault.tooManyRequests(2));
    token("user-10", null, 30, 503)
        .body("code", equalTo("upstream_unavailable"))
        .header("Retry-After", equalTo("2"));
    // a provider slower than broker.upstream.request-timeout (3 s in tests) is unavailable
    sim.failNext(new ProviderSimulator.Fault(503, null, null, 4_000));
    token("user-10", null, 30, 503).body("code", equalTo("upstream_unavailable"));
    String served = token("user-10", null, 30).extract().path("access_token");
    assertEquals(5, sim.tokenCalls("refresh_token"));
    assertEquals(0, sim.reuseDetections());

    // while the provider fails, the cached token keeps being served
    String grantId =
        admin()
            .get("/v1/grants?subject=user-10&provider_id=" + provider)
            .then()
            .extract()
            .path("items[0].id");
    sim.failNext(ProviderSimulator.Fault.status(500));
    admin().post("/v1/grants/" + grantId + "/refresh").then().statusCode(503);
    assertEquals(served, token("user-10", null, 30).extract().path("access_token"));
    admin()
        .get("/v1/grants/" + grantId)
        .then()
        .body("last_error.code", equalTo("upstream_unavailable"))
        .body("status", equalTo("active"));
  }

  private String importGrant(String subject) {
    String refreshToken = sim.issueRefreshTokenFor("r:profile");
    return admin()
        .body(Flows.grantImport(subject, refreshToken))
        .post("/v1/providers/" + provider + "/grants")
        .then()
        .statusCode(201)
        .extract()
        .path("id");
  }

  @Test
  void importedGrantIsRefreshedAndListedAndDeletedWithRevocation() {
    String refreshToken = sim.issueRefreshTokenFor("r:profile r:backpack");
    String grantId =
        admin()
            .body(
                Map.of(
                    "subject",
                    "imported-1",
                    "refresh_token",
                    refreshToken,
                    "scopes",
                    List.of("r:profile", "r:backpack")))
            .post("/v1/providers/" + provider + "/grants")
            .then()
            .statusCode(201)
            .body("id", startsWith("grt_"))
            .body("status", equalTo("active"))
            .body(not(containsString(refreshToken)))
            .extract()
            .path("id");
    String token = token("imported-1", List.of("r:backpack"), 30).extract().path("access_token");
    assertTrue(sim.accessTokenActive(token));
    admin()
        .get("/v1/grants?provider_id=" + provider)
        .then()
        .statusCode(200)
        .body("items.find { it.id == '" + grantId + "' }.subject", equalTo("imported-1"))
        .body(not(containsString(token)))
        .body(not(containsString(refreshToken)));

    as(consumer).delete("/v1/grants/" + grantId).then().statusCode(204);
    assertEquals(1, sim.revocations());
    assertTrue(!sim.accessTokenActive(token));
    admin()
        .get("/v1/grants/" + grantId)
        .then()
        .statusCode(404)
        .body("code", equalTo("grant_not_found"));
    token("imported-1", null, 30, 404);
  }

  @Test
  void grantListPagesWithCursorAndFilters() {
    for (int i = 0; i < 5; i++) {
      admin()
          .body(Flows.grantImport("page-" + i, "rt-" + i))
          .post("/v1/providers/" + provider + "/grants")
          .then()
          .statusCode(201);
    }
    var page1 =
        admin().get("/v1/grants?limit=2&provider_id=" + provider).then().statusCode(200).extract();
    assertEquals(2, (int) page1.path("items.size()"));
    String cursor = page1.path("next_cursor");
    assertNotNull(cursor);
    var page2 =
        admin()
            .get("/v1/grants?limit=2&provider_id=" + provider + "&cursor=" + cursor)
            .then()
            .extract();
    var page3 =
        admin()
            .get(
                "/v1/grants?limit=2&provider_id="
                    + provider
                    + "&cursor="
                    + page2.path("next_cursor"))
            .then()
            .extract();
    assertEquals(1, (int) page3.path("items.size()"));
    assertEquals(null, (Object) page3.path("next_cursor"));
    admin()
        .get("/v1/grants?status=active&subject=page-3&provider_id=" + provider)
        .then()
        .body("items.size()", equalTo(1))
        .body("items[0].subject", equalTo("page-3"));
    admin()
        .get("/v1/grants?status=weird")
        .then()
        .statusCode(400)
        .body("invalid_params[0].name", equalTo("status"));
    admin()
        .get("/v1/grants?limit=0")
        .then()
        .statusCode(400)
        .body("invalid_params[0].name", equalTo("limit"));
    admin()
        .get("/v1/grants?cursor=%%%")
        .then()
        .statusCode(400)
        .body("invalid_params[0].name", equalTo("cursor"));
    String stranger = Api.consumer(unique("stranger"), "elsewhere", List.of("*"));
    as(stranger)
        .get("/v1/grants?provider_id=" + provider)
        .then()
        .statusCode(200)
        .body("items.size()", equalTo(0));
  }

  @Test
  void providerWithGrantsIsInUse() {
    admin()
        .body(Flows.grantImport("keep", "rt-keep"))
        .post("/v1/providers/" + provider + "/grants")
        .then()
        .statusCode(201);
    admin()
        .delete("/v1/providers/" + provider)
        .then()
        .statusCode(409)
        .body("code", equalTo("provider_in_use"));
    admin().delete("/v1/providers/" + provider + "?cascade=true").then().statusCode(204);
    admin().get("/v1/grants?provider_id=" + provider).then().body("items.size()", equalTo(0));
  }

  private io.restassured.response.ValidatableResponse token(
      String subject, List<String> scopes, int minValidity) {
    return token(subject, scopes, minValidity, 200).header("Cache-Control", "no-store");
  }

  private io.restassured.response.ValidatableResponse token(
      String subject, List<String> scopes, int minValidity, int status) {
    Map<String, Object> body = new java.util.HashMap<>();
    body.put("provider_id", provider);
    body.put("subject", subject);
    body.put("min_validity_seconds", minValidity);
    if (scopes != null) {
      body.put("scopes", scopes);
    }
    return as(consumer)
        .body(body)
        .post("/v1/tokens")
        .then()
        .log()
        .ifValidationFails()
        .statusCode(status);
  }
}
