package dev.tokenbroker.registration;

import static dev.tokenbroker.support.Api.admin;
import static dev.tokenbroker.support.Api.as;
import static dev.tokenbroker.support.Api.unique;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tokenbroker.simulator.BadgeHost;
import dev.tokenbroker.simulator.InjectSimulator;
import dev.tokenbroker.simulator.ProviderSimulator;
import dev.tokenbroker.simulator.ProviderSimulatorResource;
import dev.tokenbroker.support.Api;
import dev.tokenbroker.support.Flows;
import dev.tokenbroker.support.SecretLeakGuard;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Badge Connect, Open Badges 3.0 and CLR 2.0 hosts connected with one PUT: the broker reads the
 * host's discovery document, registers itself (RFC 7591), and from then on the grant is an ordinary
 * authorization-code grant with PKCE S256 and client_secret_basic. Re-registration (RFC 7592
 * update) keeps the client id, so grants survive an expiring or refused secret.
 */
@QuarkusTest
@ExtendWith(SecretLeakGuard.class)
// an application of its own: its registrations' renewals would rotate the one simulator client's
// secret under another class's test
@QuarkusTestResource(value = ProviderSimulatorResource.class, restrictToAnnotatedClass = true)
class DynamicRegistrationTest {

  private static final String OB3 = "https://purl.imsglobal.org/spec/ob/v3p0/scope/";
  private static final String OB2 = "https://purl.imsglobal.org/spec/ob/v2p1/scope/";

  @InjectSimulator ProviderSimulator sim;

  private String provider;

  @BeforeEach
  void setUp() {
    sim.reset();
    sim.behaveAs(ProviderSimulator.Platform.BADGE_HOST);
    provider = unique("host");
  }

  @Test
  void openBadges3HostConnectedByOnePutThenServedRefreshedAndDeletedUpstream() {
    JsonPath view =
        put("open-badges-3", BadgeHost.OB3_PATH, Map.of()).statusCode(201).extract().jsonPath();
    String clientId = sim.clientId();
    assertEquals(clientId, view.getString("registration.client_id"));
    assertEquals(clientId, view.getString("client_id"));
    assertTrue(view.getBoolean("client_secret_set"));
    assertEquals(sim.baseUrl() + BadgeHost.OB3_PATH, view.getString("registration.discovery_url"));
    assertEquals(sim.baseUrl() + "/token", view.getString("token_url"));
    assertEquals(sim.baseUrl() + "/authorize", view.getString("authorization_url"));
    assertEquals("S256", view.getString("pkce"));
    assertEquals("client_secret_basic", view.getString("client_auth_method"));
    assertEquals(
        List.of(
            OB3 + "credential.readonly",
            OB3 + "credential.upsert",
            OB3 + "profile.readonly",
            OB3 + "profile.update",
            "offline_access"),
        view.getList("scopes"));
    assertNull(view.get("registration.client_secret_expires_at"));
    assertFalse(view.prettify().contains("registration_access_token"));

    JsonNode metadata = sim.badgeHost().lastMetadata();
    assertEquals("token-broker", metadata.path("client_name").asText());
    assertEquals(callback(), metadata.path("redirect_uris").get(0).asText());
    assertEquals("client_secret_basic", metadata.path("token_endpoint_auth_method").asText());
    assertEquals("authorization_code", metadata.path("grant_types").get(0).asText());
    assertEquals("refresh_token", metadata.path("grant_types").get(1).asText());
    assertEquals("code", metadata.path("response_types").get(0).asText());
    assertTrue(metadata.path("scope").asText().contains(OB3 + "credential.readonly"));
    assertEquals(
        "https://broker.example.test/privacy", metadata.path("policy_uri").asText(), "config");

    List<String> scopes = List.of(OB3 + "credential.readonly", "offline_access");
    String consumer = Api.consumer(unique("wallet"), provider, scopes);
    String grantId = connect(consumer, "learner-1", scopes);
    String first = token(consumer, "learner-1").extract().path("access_token");
    assertTrue(sim.accessTokenActive(first));

    admin().post("/v1/grants/" + grantId + "/refresh").then().statusCode(200);
    String refreshed = token(consumer, "learner-1").extract().path("access_token");
    assertNotEquals(first, refreshed);
    assertEquals(1, sim.tokenCalls("refresh_token"));
    assertEquals(0, sim.reuseDetections());

    admin().delete("/v1/providers/" + provider + "?cascade=true").then().statusCode(204);
    assertEquals(1, sim.badgeHost().deletions(), "RFC 7592 delete at the host");
    assertFalse(sim.badgeHost().knows(clientId));
  }

  @Test
  void badgeConnectHostRegistersAgainOnRequestKeepingClientAndGrant() {
    put("badge-connect", BadgeHost.BADGE_CONNECT_PATH, Map.of())
        .statusCode(201)
        .body("revocation_url", equalTo(sim.baseUrl() + "/revoke"))
        .body("scopes[0]", equalTo(OB2 + "assertion.readonly"));
    String clientId = sim.clientId();
    List<String> scopes = List.of(OB2 + "assertion.readonly");
    String consumer = Api.consumer(unique("app"), provider, scopes);
    String grantId = connect(consumer, "earner-7", scopes);
    String secretBefore = sim.clientSecret();

    admin()
        .post("/v1/providers/" + provider + "/registration")
        .then()
        .statusCode(200)
        .body("registration.client_id", equalTo(clientId));
    assertEquals(1, sim.badgeHost().updates(), "an RFC 7592 update, not a new client");
    assertEquals(1, sim.badgeHost().registrations());
    assertNotEquals(secretBefore, sim.clientSecret(), "the host issued a new secret");

    admin().post("/v1/grants/" + grantId + "/refresh").then().statusCode(200);
    admin().delete("/v1/grants/" + grantId).then().statusCode(204);
    assertEquals(1, sim.revocations(), "the refresh token was revoked with the new secret");
  }

  @Test
  void anExpiringSecretIsRenewedBeforeItExpiresAndTheGrantStays() {
    sim.badgeHost().secretLifetime(Duration.ofSeconds(4));
    String firstExpiry =
        put("open-badges-3", BadgeHost.OB3_PATH, Map.of())
            .statusCode(201)
            .body("registration.client_secret_expires_at", notNullValue())
            .extract()
            .path("registration.client_secret_expires_at");
    String clientId = sim.clientId();
    List<String> scopes = List.of(OB3 + "credential.readonly");
    String consumer = Api.consumer(unique("wallet"), provider, scopes);
    String grantId = connect(consumer, "learner-2", scopes);

    // renewal comes at half the lifetime; then let the first secret run out
    waitFor(
        () -> !firstExpiry.equals(view().getString("registration.client_secret_expires_at")),
        "the broker renewed the registration");
    assertTrue(sim.badgeHost().updates() >= 1);
    waitFor(() -> Instant.now().isAfter(Instant.parse(firstExpiry)), "the first secret expired");
    JsonPath view = view();
    assertEquals(clientId, view.getString("registration.client_id"));
    assertTrue(
        Instant.parse(view.getString("registration.client_secret_expires_at"))
            .isAfter(Instant.parse(firstExpiry)));

    admin()
        .post("/v1/grants/" + grantId + "/refresh")
        .then()
        .statusCode(200)
        .body("id", equalTo(grantId))
        .body("status", equalTo("active"));
    assertEquals(0, sim.badgeHost().registrations() - 1, "no second client was registered");
  }

  @Test
  void refusedCredentialsAreRegisteredAgainOnceAndTheRequestSucceedsOnTheSameGrant() {
    put("open-badges-3", BadgeHost.OB3_PATH, Map.of()).statusCode(201);
    List<String> scopes = List.of(OB3 + "profile.readonly");
    String consumer = Api.consumer(unique("wallet"), provider, scopes);
    String grantId = connect(consumer, "learner-3", scopes);

    // a forced refresh meets invalid_client: one RFC 7592 update, then the refresh succeeds
    sim.badgeHost().replaceSecretOutOfBand();
    admin().post("/v1/grants/" + grantId + "/refresh").then().statusCode(200);
    assertEquals(1, sim.badgeHost().updates());
    assertNull(view().get("credentials_rejected_at"));

    // a token request that needs a refresh (a grant imported without an access token) meets it
    // again: one more update, and the token of that grant
    sim.badgeHost().replaceSecretOutOfBand();
    String imported =
        Flows.importGrant(provider, "learner-4", sim.issueRefreshTokenFor("r:profile"));
    admin()
        .body(Map.of("provider_id", provider, "subject", "learner-4"))
        .post("/v1/tokens")
        .then()
        .statusCode(200)
        .body("grant_id", equalTo(imported));
    assertEquals(2, sim.badgeHost().updates());

    // a host that also refuses the registration sees one attempt, and the caller a 502
    sim.badgeHost().replaceSecretOutOfBand();
    sim.badgeHost().refuseNextRegistration("invalid_client_metadata");
    int attempts = sim.badgeHost().registrationAttempts();
    admin()
        .post("/v1/grants/" + grantId + "/refresh")
        .then()
        .statusCode(502)
        .body("code", equalTo("upstream_rejected"));
    assertEquals(attempts + 1, sim.badgeHost().registrationAttempts());
  }

  @Test
  void clrHostRegistersWithItsScopesAndAnAskedSubset() {
    put(
            "clr-2",
            BadgeHost.CLR_PATH,
            Map.of(
                "scopes",
                List.of("https://purl.imsglobal.org/spec/clr/v2p0/scope/credential.readonly")))
        .statusCode(201)
        .body("scopes.size()", equalTo(1))
        .body("preset", equalTo("clr-2"));
    assertEquals(
        "https://purl.imsglobal.org/spec/clr/v2p0/scope/credential.readonly",
        sim.badgeHost().lastMetadata().path("scope").asText());
  }

  @Test
  void aSecondPutWithTheSameHostKeepsTheRegistration() {
    put("open-badges-3", BadgeHost.OB3_PATH, Map.of()).statusCode(201);
    String clientId = sim.clientId();
    put("open-badges-3", BadgeHost.OB3_PATH, Map.of("display_name", "Campus wallet"))
        .statusCode(200)
        .body("display_name", equalTo("Campus wallet"))
        .body("registration.client_id", equalTo(clientId));
    assertEquals(1, sim.badgeHost().registrations());

    put("open-badges-3", BadgeHost.OB3_PATH, Map.of("scopes", List.of(OB3 + "profile.readonly")))
        .statusCode(200)
        .body("registration.client_id", equalTo(sim.clientId()));
    assertEquals(2, sim.badgeHost().registrations(), "new scopes need a new registration");
    assertFalse(sim.badgeHost().knows(clientId), "the replaced registration was deleted");
  }

  @Test
  void unreachableHostAndServerErrorsAreDiscoveryFailed() {
    putAt("open-badges-3", "http://127.0.0.1:1" + BadgeHost.OB3_PATH, Map.of())
        .statusCode(502)
        .body("code", equalTo("discovery_failed"));
    sim.badgeHost().serve(BadgeHost.OB3_PATH, 503, "{}");
    put("open-badges-3", BadgeHost.OB3_PATH, Map.of())
        .statusCode(502)
        .body("code", equalTo("discovery_failed"));
    admin().get("/v1/providers/" + provider).then().statusCode(404);
  }

  @Test
  void aHugeOrDrippingDiscoveryDocumentIsDiscoveryFailedWithinTheDeadline() {
    sim.badgeHost().serveSlowly(BadgeHost.OB3_PATH, 300 * 1024, 0);
    put("open-badges-3", BadgeHost.OB3_PATH, Map.of())
        .statusCode(502)
        .body("code", equalTo("discovery_failed"));
    // 20 KiB, one KiB every 500 ms: 10 s, past the test profile's 3-s request timeout
    sim.badgeHost().serveSlowly(BadgeHost.OB3_PATH, 20 * 1024, 500);
    put("open-badges-3", BadgeHost.OB3_PATH, Map.of())
        .statusCode(502)
        .body("code", equalTo("discovery_failed"));
    long answeredAt = System.currentTimeMillis();
    long finished = sim.badgeHost().slowDocumentFinishedAtMillis();
    assertTrue(finished == 0 || answeredAt < finished, "answered before the document ended");
    assertEquals(0, sim.badgeHost().registrations());
  }

  @Test
  void malformedDocumentsAndMissingMembersAreInvalidRequestsNamingTheMember() {
    String noTokenUrl = without(BadgeHost.OB3_PATH, "tokenUrl");
    String noRegistrationUrl = without(BadgeHost.BADGE_CONNECT_PATH, "registrationUrl");
    sim.badgeHost().serve(BadgeHost.OB3_PATH, 200, "not json {");
    invalid(put("open-badges-3", BadgeHost.OB3_PATH, Map.of()), "discovery_url");
    sim.badgeHost().serve(BadgeHost.OB3_PATH, 404, "{}");
    invalid(put("open-badges-3", BadgeHost.OB3_PATH, Map.of()), "discovery_url");

    sim.badgeHost().serve(BadgeHost.OB3_PATH, 200, noTokenUrl);
    invalid(
        put("open-badges-3", BadgeHost.OB3_PATH, Map.of()),
        "components.securitySchemes.OAuth2ACG.flows.authorizationCode.tokenUrl");
    sim.badgeHost().serve(BadgeHost.BADGE_CONNECT_PATH, 200, noRegistrationUrl);
    invalid(
        put("badge-connect", BadgeHost.BADGE_CONNECT_PATH, Map.of()),
        "badgeConnectAPI[0].registrationUrl");
    assertEquals(0, sim.badgeHost().registrations());
  }

  @Test
  void whatTheHostDecidesCannotBeGivenAndScopesMustBeOffered() {
    invalid(put("open-badges-3", BadgeHost.OB3_PATH, Map.of("client_id", "mine")), "client_id");
    invalid(
        put("open-badges-3", BadgeHost.OB3_PATH, Map.of("client_secret", "s3cr3t-value")),
        "client_secret");
    invalid(
        put("open-badges-3", BadgeHost.OB3_PATH, Map.of("token_url", sim.baseUrl() + "/token")),
        "token_url");
    invalid(put("open-badges-3", BadgeHost.OB3_PATH, Map.of("pkce", "none")), "pkce");
    invalid(
        put("open-badges-3", BadgeHost.OB3_PATH, Map.of("scopes", List.of("r:profile"))), "scopes");
    invalid(putAt("open-badges-3", null, Map.of()), "discovery_url");
    putAt("open-badges-3", "http://badges.example.test" + BadgeHost.OB3_PATH, Map.of())
        .statusCode(400)
        .body("code", equalTo("url_not_allowed"))
        .body("invalid_params[0].name", equalTo("discovery_url"));
    Map<String, Object> generic = Flows.codeProvider(sim, Map.of());
    generic.put("discovery_url", sim.baseUrl() + BadgeHost.OB3_PATH);
    invalid(admin().body(generic).put("/v1/providers/" + provider).then(), "discovery_url");
    assertEquals(0, sim.badgeHost().registrations());
  }

  @Test
  void aRefusedRegistrationIsRegistrationRejectedWithTheHostsCode() {
    sim.badgeHost().refuseNextRegistration("invalid_client_metadata");
    put("open-badges-3", BadgeHost.OB3_PATH, Map.of())
        .statusCode(502)
        .body("code", equalTo("registration_rejected"))
        .body("detail", containsString("invalid_client_metadata"));
    admin().get("/v1/providers/" + provider).then().statusCode(404);
  }

  @Test
  void registeringAgainNeedsARegisteredProvider() {
    admin().post("/v1/providers/" + unique("none") + "/registration").then().statusCode(404);
    Flows.registerCodeProvider(provider, sim, Map.of());
    invalid(admin().post("/v1/providers/" + provider + "/registration").then(), "provider_id");
  }

  private io.restassured.response.ValidatableResponse put(
      String preset, String path, Map<String, Object> extra) {
    return putAt(preset, sim.baseUrl() + path, extra);
  }

  private io.restassured.response.ValidatableResponse putAt(
      String preset, String discoveryUrl, Map<String, Object> extra) {
    Map<String, Object> body = new HashMap<>();
    body.put("preset", preset);
    if (discoveryUrl != null) {
      body.put("discovery_url", discoveryUrl);
    }
    body.put("redirect_uri", callback());
    body.putAll(extra);
    return admin().body(body).put("/v1/providers/" + provider).then();
  }

  private static void invalid(io.restassured.response.ValidatableResponse response, String field) {
    response
        .statusCode(400)
        .contentType("application/problem+json")
        .body("code", equalTo("invalid_request"))
        .body("invalid_params[0].name", equalTo(field));
  }

  /** The simulator's real document at {@code path} with one member removed wherever it is. */
  private String without(String path, String member) {
    String document =
        RestAssured.given().get(sim.baseUrl() + path).then().statusCode(200).extract().asString();
    return document.replaceAll(
        "\"" + java.util.regex.Pattern.quote(member) + "\":\"[^\"]*\",?", "");
  }

  private String connect(String consumer, String subject, List<String> scopes) {
    String location = Flows.authorize(provider, consumer, subject, scopes);
    assertTrue(location.contains("status=connected"), location);
    return Flows.queryParam(location, "grant_id");
  }

  private io.restassured.response.ValidatableResponse token(String consumer, String subject) {
    return as(consumer)
        .body(Map.of("provider_id", provider, "subject", subject, "min_validity_seconds", 30))
        .post("/v1/tokens")
        .then()
        .statusCode(200);
  }

  private JsonPath view() {
    return admin().get("/v1/providers/" + provider).then().statusCode(200).extract().jsonPath();
  }

  private static String callback() {
    return "http://localhost:" + RestAssured.port + "/v1/oauth/callback";
  }

  private static void waitFor(BooleanSupplier condition, String what) {
    Awaitility.await(what).atMost(Duration.ofSeconds(15)).until(condition::getAsBoolean);
  }
}
