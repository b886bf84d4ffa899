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
import dev.tokenbroker.simulator.ProviderSimulatorResource;
import dev.tokenbroker.support.Api;
import dev.tokenbroker.support.Flows;
import dev.tokenbroker.support.SecretLeakGuard;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
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
@QuarkusTestResource(value = ProviderSimulatorResource.class, restrictToAnnotatedClass = true)
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
    Map<String, Object> reader =
        Api.createCaller(Api.consumerBody(unique("reader"), provider, List.of("r:*")));
    given()
        .contentType("application/x-www-form-urlencoded")
        .formParam("client_id", reader.get("id"))
        .formParam("client_secret", reader.get("api_key"))
        .formParam("grant_type", EXCHANGE)
        .formParam("audience", provider)
        .formParam("subject_token", subject)
        .formParam("subject_token_type", SUBJECT_TYPE)
        .formParam("scope", "r:profile")
        .post("/v1/oauth/token")
        .then()
        .statusCode(400)
        .body("error", equalTo("invalid_scope"))
        .body("error_description", containsString("rw:backpack"))
        .body("access_token", equalTo(null));
  }
}
