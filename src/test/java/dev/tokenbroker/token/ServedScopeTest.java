package dev.tokenbroker.token;

import static dev.tokenbroker.support.Api.as;
import static dev.tokenbroker.support.Api.unique;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tokenbroker.simulator.InjectSimulator;
import dev.tokenbroker.simulator.ProviderSimulator;
import dev.tokenbroker.support.Api;
import dev.tokenbroker.support.Flows;
import dev.tokenbroker.support.SecretLeakGuard;
import dev.tokenbroker.support.SimulatorProfile;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * DESIGN §6: a served token never carries a scope that the caller's allow rules do not cover, on
 * {@code POST /v1/tokens} and on {@code POST /v1/oauth/token}.
 */
@QuarkusTest
@ExtendWith(SecretLeakGuard.class)
@TestProfile(SimulatorProfile.class)
class ServedScopeTest {

  private static final String EXCHANGE = "urn:ietf:params:oauth:grant-type:token-exchange";
  private static final String SUBJECT_TYPE = "urn:token-broker:token-type:subject";

  @InjectSimulator ProviderSimulator sim;

  private String provider;
  private String subject;

  /** A grant whose one access token carries r:profile and rw:backpack (a read-write token). */
  @BeforeEach
  void readWriteGrant() {
    sim.reset();
    provider = unique("scoped");
    subject = unique("learner");
    Flows.registerCodeProvider(provider, sim, Map.of());
    Flows.importGrant(provider, subject, sim.issueRefreshTokenFor("r:profile rw:backpack"));
  }

  @Test
  void aReadOnlyConsumerIsNotServedTheReadWriteTokenOnTheTokensEndpoint() {
    String reader = Api.consumer(unique("reader"), provider, List.of("r:*"));
    String body =
        as(reader)
            .body(
                Map.of("provider_id", provider, "subject", subject, "scopes", List.of("r:profile")))
            .post("/v1/tokens")
            .then()
            .statusCode(403)
            .contentType("application/problem+json")
            .body("code", equalTo("scope_not_allowed"))
            .body("detail", containsString("rw:backpack"))
            .body("detail", not(containsString("r:profile")))
            .extract()
            .asString();
    // the refresh that fetched the wide token happened, but its token never left the broker
    assertEquals(1, sim.tokenCalls("refresh_token"));
    assertEquals(false, body.contains("at-"), body);
    // without scopes in the request the same holds
    as(reader)
        .body(Map.of("provider_id", provider, "subject", subject))
        .post("/v1/tokens")
        .then()
        .statusCode(403)
        .body("code", equalTo("scope_not_allowed"));
  }

  @Test
  void aConsumerAllowedEveryScopeOfTheTokenIsServedItWithItsRealScope() {
    String writer = Api.consumer(unique("writer"), provider, List.of("r:*", "rw:backpack"));
    String token =
        as(writer)
            .body(
                Map.of("provider_id", provider, "subject", subject, "scopes", List.of("r:profile")))
            .post("/v1/tokens")
            .then()
            .statusCode(200)
            .body("scope", equalTo("r:profile rw:backpack"))
            .extract()
            .path("access_token");
    assertEquals(true, sim.accessTokenActive(token));
  }

  @Test
  void aReadOnlyConsumerIsNotServedTheReadWriteTokenOnTheOAuthTokenEndpoint() {
    exchangeAsReader(provider)
        .formParam("scope", "r:profile")
        .post("/v1/oauth/token")
        .then()
        .statusCode(400)
        .body("error", equalTo("invalid_scope"))
        .body("error_description", containsString("rw:backpack"))
        .body("access_token", equalTo(null));
  }

  @Test
  void aDownscopingProviderGivesAReadOnlyConsumerANarrowerTokenOnBothDoors() throws Exception {
    String narrowing = unique("narrowing");
    Flows.registerCodeProvider(narrowing, sim, Map.of("downscope", "refresh"));
    String grantId =
        Flows.importGrant(narrowing, subject, sim.issueRefreshTokenFor("r:profile rw:backpack"));
    String reader = Api.consumer(unique("reader"), narrowing, List.of("r:*"));
    List<io.restassured.response.Response> answers =
        dev.tokenbroker.support.Concurrently.run(
            30,
            () ->
                as(reader)
                    .body(Map.of("provider_id", narrowing, "subject", subject))
                    .post("/v1/tokens"));
    java.util.Set<String> tokens = new java.util.HashSet<>();
    for (io.restassured.response.Response answer : answers) {
      assertEquals(200, answer.statusCode(), answer.asString());
      assertEquals("r:profile", answer.path("scope"));
      tokens.add(answer.path("access_token"));
    }
    assertEquals(1, tokens.size(), "one narrower token, shared");
    String narrow = tokens.iterator().next();
    assertEquals("r:profile", sim.scopeOf(narrow), "the provider issued it for r:profile only");
    assertEquals(1, sim.scopedRefreshes(), "one refresh with a scope subset");

    // the same token through the OAuth door, from memory
    String exchanged =
        exchangeAsReader(narrowing)
            .post("/v1/oauth/token")
            .then()
            .statusCode(200)
            .body("scope", equalTo("r:profile"))
            .extract()
            .path("access_token");
    assertEquals(narrow, exchanged);
    assertEquals(1, sim.scopedRefreshes());

    // the grant keeps its own token for callers allowed all of it
    String writer = Api.consumer(unique("writer"), narrowing, List.of("r:*", "rw:*"));
    String wide =
        as(writer)
            .body(Map.of("provider_id", narrowing, "subject", subject))
            .post("/v1/tokens")
            .then()
            .statusCode(200)
            .body("scope", equalTo("r:profile rw:backpack"))
            .extract()
            .path("access_token");
    assertEquals("r:profile rw:backpack", sim.scopeOf(wide));
    // the narrowing refresh rotated the grant's refresh token and the new one was stored: a
    // forced refresh presents it (the old one would revoke the family as a reuse)
    Api.admin().post("/v1/grants/" + grantId + "/refresh").then().statusCode(200);
    assertEquals(0, sim.reuseDetections());
    assertEquals(3, sim.tokenCalls("refresh_token"));
  }

  @Test
  void aNarrowerTokenTheResourceServerRejectedIsReplaced() {
    String narrowing = unique("narrowing");
    Flows.registerCodeProvider(narrowing, sim, Map.of("downscope", "refresh"));
    Flows.importGrant(narrowing, subject, sim.issueRefreshTokenFor("r:profile rw:backpack"));
    String reader = Api.consumer(unique("reader"), narrowing, List.of("r:*"));
    Map<String, Object> body = Map.of("provider_id", narrowing, "subject", subject);
    String first =
        as(reader)
            .body(body)
            .post("/v1/tokens")
            .then()
            .statusCode(200)
            .extract()
            .path("access_token");
    String second =
        as(reader)
            .body(
                Map.of(
                    "provider_id", narrowing, "subject", subject, "rejected_access_token", first))
            .post("/v1/tokens")
            .then()
            .statusCode(200)
            .body("scope", equalTo("r:profile"))
            .extract()
            .path("access_token");
    assertEquals(false, first.equals(second));
    assertEquals(2, sim.scopedRefreshes());
    assertEquals(0, sim.reuseDetections());
  }

  /** An RFC 8693 exchange for the subject by a new consumer allowed {@code r:*} at the provider. */
  private io.restassured.specification.RequestSpecification exchangeAsReader(String providerId) {
    Map<String, Object> reader =
        Api.createCaller(Api.consumerBody(unique("reader"), providerId, List.of("r:*")));
    return given()
        .contentType("application/x-www-form-urlencoded")
        .formParam("client_id", reader.get("id"))
        .formParam("client_secret", reader.get("api_key"))
        .formParam("grant_type", EXCHANGE)
        .formParam("audience", providerId)
        .formParam("subject_token", subject)
        .formParam("subject_token_type", SUBJECT_TYPE);
  }
}
