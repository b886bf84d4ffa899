package dev.tokenbroker.provider;

import static dev.tokenbroker.support.Api.admin;
import static dev.tokenbroker.support.Api.as;
import static dev.tokenbroker.support.Api.unique;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tokenbroker.simulator.InjectSimulator;
import dev.tokenbroker.simulator.ProviderSimulator;
import dev.tokenbroker.simulator.ProviderSimulator.Platform;
import dev.tokenbroker.support.Api;
import dev.tokenbroker.support.Flows;
import dev.tokenbroker.support.SecretLeakGuard;
import dev.tokenbroker.support.SettableClock;
import dev.tokenbroker.support.SimulatorProfile;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Each platform preset end to end through the public API, against the simulator behaving as that
 * platform: registration with {@code preset} and a base URL, authorization or client credentials,
 * tokens, refresh, and the connection test action.
 */
@QuarkusTest
@ExtendWith(SecretLeakGuard.class)
@TestProfile(SimulatorProfile.class)
class PlatformPresetsTest {

  @InjectSimulator ProviderSimulator sim;

  @Inject Clock clock;

  @BeforeEach
  void reset() {
    sim.reset();
  }

  @AfterEach
  void rewindClock() {
    ((SettableClock) clock).rewind();
  }

  @Test
  void badgrTestRegionRotatesRefreshTokensAndGrantsProfileAutomatically() {
    sim.behaveAs(Platform.BADGR);
    String provider = unique("badgr");
    admin()
        .body(codePreset("badgr", "test"))
        .put("/v1/providers/" + provider)
        .then()
        .statusCode(201)
        .body("token_url", equalTo(sim.baseUrl() + "/o/token"))
        .body("authorization_url", equalTo(sim.baseUrl() + "/auth/oauth2/authorize"))
        .body("base_url", equalTo(sim.baseUrl()))
        .body("scopes", hasItems("r:profile", "rw:issuer", "r:backpack", "rw:backpack"))
        .body("default_scopes", equalTo(List.of("r:profile")))
        .body("grant_type", equalTo("authorization_code"))
        .body("pkce", equalTo("S256"));
    // Badgr's approval step drops the challenge (the simulator too): S256 must not break the flow
    String url =
        startAuthorization(provider, List.of("r:backpack"))
            .then()
            .extract()
            .path("authorization_url");
    assertTrue(url.contains("code_challenge_method=S256"), url);

    String grantId = connect(provider, "learner-1", List.of("r:backpack"));
    Map<String, Object> token =
        token(provider, "learner-1", List.of("r:backpack"), 60).then().extract().path("$");
    assertTrue(((String) token.get("scope")).contains("r:profile"), token.toString());
    assertTrue(((Number) token.get("expires_in")).longValue() > 86_000, token.toString());

    admin().post("/v1/grants/" + grantId + "/refresh").then().statusCode(200);
    admin().post("/v1/grants/" + grantId + "/refresh").then().statusCode(200);
    assertEquals(2, sim.tokenCalls("refresh_token"));
    assertEquals(0, sim.reuseDetections(), "a rotated refresh token was reused");

    testConnection(provider)
        .body("ok", equalTo(true))
        .body("checks[0].name", equalTo("token_endpoint"))
        .body("checks[0].ok", equalTo(true))
        .body("checks[0].code", nullValue());
  }

  @Test
  void badgrAndParchmentProductionRequireHttpsRedirectsAndTakeABaseUrlForOtherRegions() {
    Map<String, Object> eu = codePreset("badgr", "eu");
    eu.remove("base_url");
    eu.put("redirect_uri", "https://broker.example.test/v1/oauth/callback");
    expectInvalid(eu, "token_url");

    eu.put("base_url", "https://api.eu.badgr.example");
    admin()
        .body(eu)
        .put("/v1/providers/" + unique("badgr-eu"))
        .then()
        .statusCode(201)
        .body("token_url", equalTo("https://api.eu.badgr.example/o/token"));

    Map<String, Object> plainHttp = codePreset("parchment", "us");
    plainHttp.put("base_url", "https://badges.example");
    plainHttp.put("redirect_uri", "http://broker.example.test/v1/oauth/callback");
    expectInvalid(plainHttp, "redirect_uri");

    Map<String, Object> generic = Api.genericProvider();
    generic.put("base_url", "https://idp.example.test");
    expectInvalid(generic, "base_url");
    Map<String, Object> badBase = codePreset("badgr", "test");
    badBase.put("base_url", "ftp://badges.example");
    expectInvalid(badBase, "base_url");
  }

  @Test
  void parchmentAddsOrganisationScopes() {
    sim.behaveAs(Platform.PARCHMENT);
    String provider = unique("parchment");
    admin()
        .body(codePreset("parchment", "test"))
        .put("/v1/providers/" + provider)
        .then()
        .statusCode(201)
        .body("scopes", hasItems("r:org", "rw:org"));
    connect(provider, "org-admin", List.of("rw:org"));
    token(provider, "org-admin", List.of("rw:org"), 60)
        .then()
        .statusCode(200)
        .body("scope", containsString("rw:org"));
    token(provider, "org-admin", List.of("rw:issuer"), 60)
        .then()
        .statusCode(422)
        .body("code", equalTo("scope_not_granted"));
  }

  @Test
  void brightspaceWildcardScopesApplyToAuthorizationsAndTokens() {
    sim.behaveAs(Platform.BRIGHTSPACE).accessTokenLifetime(1800);
    String provider = unique("d2l");
    Map<String, Object> body = brightspace();
    body.put("scopes", List.of("content:toc:*", "users:userdata:read"));
    body.put("default_scopes", List.of("users:userdata:read"));
    admin()
        .body(body)
        .put("/v1/providers/" + provider)
        .then()
        .statusCode(201)
        .body("token_url", equalTo(sim.baseUrl() + "/core/connect/token"))
        .body("authorization_url", equalTo(sim.baseUrl() + "/oauth2/auth"))
        .body("pkce", equalTo("S256"));

    startAuthorization(provider, List.of("grades:gradevalues:read"))
        .then()
        .statusCode(400)
        .body("invalid_params[0].name", equalTo("scopes"));
    String grantId = connect(provider, "teacher-7", List.of("content:toc:*"));
    token(provider, "teacher-7", List.of("content:toc:read"), 60).then().statusCode(200);
    token(provider, "teacher-7", List.of("users:userdata:read"), 60)
        .then()
        .statusCode(422)
        .body("code", equalTo("scope_not_granted"));

    JsonPath grant = admin().get("/v1/grants/" + grantId).then().extract().jsonPath();
    Instant refreshed = Instant.parse(grant.getString("last_refreshed_at"));
    assertEquals(
        1800,
        Duration.between(refreshed, Instant.parse(grant.getString("access_token_expires_at")))
            .toSeconds(),
        1);
    long dueAfter =
        Duration.between(refreshed, Instant.parse(grant.getString("next_refresh_at"))).toSeconds();
    assertTrue(dueAfter >= 1250 && dueAfter <= 1350, "due after " + dueAfter + " s");
  }

  @Test
  void brightspaceCoreFallbackCoversOnlyRoutesWithoutASpecificScope() {
    sim.behaveAs(Platform.BRIGHTSPACE).accessTokenLifetime(72_000);
    String provider = unique("d2l-core");
    Map<String, Object> body = brightspace();
    body.put("scopes", List.of("core:*:*", "users:userdata:*"));
    admin().body(body).put("/v1/providers/" + provider).then().statusCode(201);
    connect(provider, "admin-1", List.of("core:*:*"));
    token(provider, "admin-1", List.of("core:*:*"), 60)
        .then()
        .statusCode(200)
        .body("expires_in", org.hamcrest.Matchers.greaterThan(71_000));
    token(provider, "admin-1", List.of("users:userdata:read"), 60)
        .then()
        .statusCode(422)
        .body("code", equalTo("scope_not_granted"));

    String onlyCore = unique("d2l-only-core");
    Map<String, Object> coreApp = brightspace();
    coreApp.put("scopes", List.of("core:*:*"));
    admin().body(coreApp).put("/v1/providers/" + onlyCore).then().statusCode(201);
    startAuthorization(onlyCore, List.of("users:userdata:read"))
        .then()
        .statusCode(400)
        .body("invalid_params[0].name", equalTo("scopes"));
    // a specific scope is covered by its own group:resource wildcard
    startAuthorization(provider, List.of("users:userdata:read")).then().statusCode(201);
  }

  @Test
  void brightspaceWithoutRefreshTokensServesUntilExpiryAndARefreshChangesNothing() {
    sim.behaveAs(Platform.BRIGHTSPACE).accessTokenLifetime(1800).issueRefreshTokens(false);
    String provider = unique("d2l-norefresh");
    admin().body(brightspace()).put("/v1/providers/" + provider).then().statusCode(201);
    String grantId = connect(provider, "student-3", List.of("core:*:*"));
    JsonPath grant = admin().get("/v1/grants/" + grantId).then().extract().jsonPath();
    assertEquals(
        grant.getString("access_token_expires_at"),
        grant.getString("next_refresh_at"),
        "a grant that cannot be refreshed is due when its access token expires");

    admin()
        .post("/v1/grants/" + grantId + "/refresh")
        .then()
        .statusCode(409)
        .body("code", equalTo("no_refresh_token"));
    admin()
        .get("/v1/grants/" + grantId)
        .then()
        .body("status", equalTo("active"))
        .body("last_error", nullValue())
        .body("access_token_expires_at", equalTo(grant.getString("access_token_expires_at")));
    token(provider, "student-3", List.of("core:*:*"), 60).then().statusCode(200);
    assertEquals(0, sim.tokenCalls("refresh_token"), "nothing to send upstream");
  }

  @Test
  void brightspaceGrantWithoutRefreshTokenEndsAtItsExpiryWithAClearError() {
    // Brightspace's shortest lifetime is 30 minutes; the simulator's generic mode lets it be 2 s
    sim.accessTokenLifetime(2).issueRefreshTokens(false);
    String provider = unique("d2l-expiring");
    admin().body(brightspace()).put("/v1/providers/" + provider).then().statusCode(201);
    String grantId = connect(provider, "student-4", List.of("core:*:*"));
    ((SettableClock) clock).advance(Duration.ofMillis(2_200));
    admin()
        .post("/v1/grants/" + grantId + "/refresh")
        .then()
        .statusCode(409)
        .body("code", equalTo("reauthorization_required"));
    admin()
        .get("/v1/grants/" + grantId)
        .then()
        .body("status", equalTo("reauthorization_required"))
        .body("last_error.code", equalTo("no_refresh_token"));
    assertEquals(0, sim.tokenCalls("refresh_token"), "nothing to send upstream");
  }

  @Test
  void refusedCredentialsShowOnTheProviderUntilAConnectionTestPasses() {
    String provider = unique("cc-refused");
    Map<String, Object> body = new HashMap<>();
    body.put("grant_type", "client_credentials");
    body.put("token_url", sim.baseUrl() + "/token");
    body.put("client_id", sim.clientId());
    body.put("client_secret", "rotated-at-the-platform");
    admin().body(body).put("/v1/providers/" + provider).then().statusCode(201);
    clientToken(provider).then().statusCode(502).body("code", equalTo("upstream_rejected"));
    admin()
        .get("/v1/providers/" + provider)
        .then()
        .body("credentials_rejected_at", org.hamcrest.Matchers.notNullValue());

    // the platform's administrator puts the broker's secret back; the test action sees it
    sim.clientSecret("rotated-at-the-platform");
    testConnection(provider).body("ok", equalTo(true));
    admin().get("/v1/providers/" + provider).then().body("credentials_rejected_at", nullValue());
  }

  @Test
  void productionRegionsRefuseDeveloperRedirectUrisAndTestRegionsAcceptThem() {
    for (String redirect :
        List.of(
            "https://localhost:8443/v1/oauth/callback",
            "https://127.0.0.1/v1/oauth/callback",
            "https://10.1.2.3/v1/oauth/callback",
            "https://[::1]/v1/oauth/callback",
            "https://broker.ngrok-free.app/v1/oauth/callback")) {
      Map<String, Object> production = codePreset("badgr", "us");
      production.remove("base_url");
      production.put("redirect_uri", redirect);
      expectInvalid(production, "redirect_uri");
    }
    Map<String, Object> sandbox = codePreset("badgr", "test");
    sandbox.remove("base_url");
    sandbox.put("redirect_uri", "https://localhost:8443/v1/oauth/callback");
    admin().body(sandbox).put("/v1/providers/" + unique("badgr-sandbox")).then().statusCode(201);
  }

  @Test
  void badgeRegionsGetTheirUiDomainForAuthorizationAndTheApiDomainForTokens() {
    Map<String, Object> eu = codePreset("parchment", "eu");
    eu.put("base_url", "https://api.eu.badges.example");
    eu.put("redirect_uri", "https://broker.example.test/v1/oauth/callback");
    admin()
        .body(eu)
        .put("/v1/providers/" + unique("parchment-eu"))
        .then()
        .statusCode(201)
        .body("token_url", equalTo("https://api.eu.badges.example/o/token"))
        .body("authorization_url", equalTo("https://eu.badges.example/auth/oauth2/authorize"));

    eu.put("authorization_base_url", "https://badges-eu.example");
    admin()
        .body(eu)
        .put("/v1/providers/" + unique("parchment-eu"))
        .then()
        .statusCode(201)
        .body("authorization_url", equalTo("https://badges-eu.example/auth/oauth2/authorize"));

    Map<String, Object> alone = codePreset("badgr", "test");
    alone.remove("base_url");
    alone.put("authorization_base_url", "https://badgr.example");
    expectInvalid(alone, "authorization_base_url");
  }

  private static io.restassured.response.Response clientToken(String provider) {
    return admin().body(Map.of("provider_id", provider)).post("/v1/tokens");
  }

  @Test
  void keepAliveRefreshesLongLivedGrantsAtLeastThatOften() {
    sim.behaveAs(Platform.BADGR);
    String provider = unique("badgr-keepalive");
    Map<String, Object> body = codePreset("badgr", "test");
    body.put("keep_alive_seconds", 3600);
    admin()
        .body(body)
        .put("/v1/providers/" + provider)
        .then()
        .statusCode(201)
        .body("keep_alive_seconds", equalTo(3600));
    String grantId = connect(provider, "idle-user", List.of("r:backpack"));
    JsonPath grant = admin().get("/v1/grants/" + grantId).then().extract().jsonPath();
    assertEquals(
        3600,
        Duration.between(
                Instant.parse(grant.getString("last_refreshed_at")),
                Instant.parse(grant.getString("next_refresh_at")))
            .toSeconds(),
        1);
    body.put("keep_alive_seconds", 10);
    expectInvalid(body, "keep_alive_seconds");
  }

  @Test
  void anOpenBadgeFactoryPingWhoseAnswerDripsFailsAtTheDeadlineAndIsHungUpOn() {
    sim.behaveAs(Platform.OPEN_BADGE_FACTORY);
    sim.dripPings();
    String provider = unique("obf");
    admin()
        .body(obf("client_secret_basic"))
        .put("/v1/providers/" + provider)
        .then()
        .statusCode(201);
    // the ping answers 200 at once, then takes 20 s for its body; the test profile's deadline is 3
    // s
    testConnection(provider)
        .body("ok", equalTo(false))
        .body("checks.name", equalTo(List.of("token", "ping")))
        .body("checks[1].ok", equalTo(false))
        .body("checks[1].code", equalTo("upstream_unavailable"));
    Awaitility.await().atMost(Duration.ofSeconds(10)).until(sim::pingCutOff);
  }

  @Test
  void openBadgeFactoryTestActionGetsATokenAndPingsIt() {
    sim.behaveAs(Platform.OPEN_BADGE_FACTORY);
    String provider = unique("obf");
    admin()
        .body(obf("client_secret_basic"))
        .put("/v1/providers/" + provider)
        .then()
        .statusCode(201)
        .body("grant_type", equalTo("client_credentials"))
        .body("token_url", equalTo(sim.baseUrl() + "/v2/client/oauth2/token"))
        .body("min_token_request_interval_seconds", equalTo(10));

    testConnection(provider)
        .body("ok", equalTo(true))
        .body("checks.name", equalTo(List.of("token", "ping")))
        .body("checks[1].ok", equalTo(true));
    assertEquals(1, sim.pings());

    // the test's token is the provider's one grant: callers get it without a second request
    String consumer = Api.consumer(unique("issuer"), provider, List.of("*"));
    as(consumer).body(Map.of("provider_id", provider)).post("/v1/tokens").then().statusCode(200);
    assertEquals(1, sim.tokenCalls("client_credentials"));
    assertEquals(0, sim.issueIntervalViolations());
  }

  @Test
  void cancredRegionUsesItsHost() {
    Map<String, Object> body = obf("client_secret_post");
    body.remove("base_url");
    body.put("region", "cancred");
    admin()
        .body(body)
        .put("/v1/providers/" + unique("cancred"))
        .then()
        .statusCode(201)
        .body("token_url", equalTo("https://factory.cancred.ca/v2/client/oauth2/token"));
  }

  @Test
  void testActionReportsRejectedAndUnreachableProviders() {
    sim.behaveAs(Platform.OPEN_BADGE_FACTORY);
    String wrongSecret = unique("obf-wrong");
    Map<String, Object> body = obf("client_secret_post");
    body.put("client_secret", "not-the-secret");
    admin().body(body).put("/v1/providers/" + wrongSecret).then().statusCode(201);
    testConnection(wrongSecret)
        .body("ok", equalTo(false))
        .body("checks.name", equalTo(List.of("token")))
        .body("checks[0].code", equalTo("upstream_rejected"));

    String codeWrongSecret = unique("badgr-wrong");
    Map<String, Object> badgr = codePreset("badgr", "test");
    // another client at the same (simulated) host: the OBF client's pace does not apply to it
    badgr.put("client_id", "not-the-client");
    badgr.put("client_secret", "not-the-secret");
    admin().body(badgr).put("/v1/providers/" + codeWrongSecret).then().statusCode(201);
    testConnection(codeWrongSecret)
        .body("ok", equalTo(false))
        .body("checks[0].code", equalTo("upstream_rejected"))
        .body("checks[0].detail", containsString("invalid_client"));

    String unreachable = unique("badgr-down");
    Map<String, Object> down = codePreset("badgr", "test");
    down.put("base_url", "http://127.0.0.1:1");
    admin().body(down).put("/v1/providers/" + unreachable).then().statusCode(201);
    testConnection(unreachable)
        .body("ok", equalTo(false))
        .body("checks[0].code", equalTo("upstream_unavailable"));

    admin()
        .post("/v1/providers/nope-" + unique("x") + "/test")
        .then()
        .statusCode(404)
        .body("code", equalTo("provider_not_found"));
    String consumer = Api.consumer(unique("svc"), unreachable, List.of("*"));
    as(consumer)
        .post("/v1/providers/" + unreachable + "/test")
        .then()
        .statusCode(403)
        .body("code", equalTo("forbidden"));
  }

  private io.restassured.response.ValidatableResponse testConnection(String provider) {
    return admin()
        .post("/v1/providers/" + provider + "/test")
        .then()
        .statusCode(200)
        .body("provider_id", equalTo(provider));
  }

  private Map<String, Object> codePreset(String preset, String region) {
    Map<String, Object> body = new HashMap<>();
    body.put("preset", preset);
    body.put("region", region);
    body.put("base_url", sim.baseUrl());
    body.put("client_id", sim.clientId());
    body.put("client_secret", sim.clientSecret());
    body.put("redirect_uri", "http://localhost:" + RestAssured.port + "/v1/oauth/callback");
    return body;
  }

  private Map<String, Object> brightspace() {
    Map<String, Object> body = codePreset("brightspace", null);
    body.remove("region");
    return body;
  }

  private Map<String, Object> obf(String authMethod) {
    return Flows.openBadgeFactory(sim, authMethod);
  }

  private static String connect(String provider, String subject, List<String> scopes) {
    String location = Flows.authorize(provider, Api.ADMIN_KEY, subject, scopes);
    assertEquals("connected", Flows.queryParam(location, "status"), location);
    return Flows.queryParam(location, "grant_id");
  }

  private static io.restassured.response.Response startAuthorization(
      String provider, List<String> scopes) {
    return admin()
        .body(
            Map.of(
                "subject", "someone", "scopes", scopes, "return_url", "https://app.example.test/x"))
        .post("/v1/providers/" + provider + "/authorizations");
  }

  private static io.restassured.response.Response token(
      String provider, String subject, List<String> scopes, int minValidity) {
    return admin()
        .body(
            Map.of(
                "provider_id",
                provider,
                "subject",
                subject,
                "scopes",
                scopes,
                "min_validity_seconds",
                minValidity))
        .post("/v1/tokens");
  }

  private static void expectInvalid(Map<String, Object> body, String field) {
    admin()
        .body(body)
        .put("/v1/providers/" + unique("invalid"))
        .then()
        .statusCode(400)
        .body("code", equalTo("invalid_request"))
        .body("invalid_params[0].name", equalTo(field));
  }
}
