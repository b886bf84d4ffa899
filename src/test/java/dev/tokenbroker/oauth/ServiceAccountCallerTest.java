package dev.tokenbroker.oauth;

import static dev.tokenbroker.support.Api.admin;
import static dev.tokenbroker.support.Api.unique;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tokenbroker.simulator.InjectSimulator;
import dev.tokenbroker.simulator.ProviderSimulator;
import dev.tokenbroker.support.Api;
import dev.tokenbroker.support.Flows;
import dev.tokenbroker.support.InjectIssuers;
import dev.tokenbroker.support.SecretLeakGuard;
import dev.tokenbroker.support.TestIssuers;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Kubernetes service-account callers (issue 16 §2): a projected token of the cluster's issuer for
 * the broker's audience authenticates as the caller that lists its {@code sub}, as a bearer token
 * on {@code /v1} and as an RFC 7523 client assertion on {@code /v1/oauth/token}.
 */
@QuarkusTest
@ExtendWith(SecretLeakGuard.class)
@TestProfile(StandardInterfacesProfile.class)
class ServiceAccountCallerTest {

  @InjectSimulator ProviderSimulator sim;
  @InjectIssuers TestIssuers issuers;

  private String provider;
  private String account;
  private String subject;

  @BeforeEach
  void consumerWithAServiceAccount() {
    sim.reset();
    provider = unique("sa");
    Flows.registerCodeProvider(provider, sim, Map.of());
    subject = unique("learner");
    Flows.importGrant(provider, subject, sim.issueRefreshTokenFor("r:profile"));
    account = "system:serviceaccount:apps:" + unique("issuer");
    Map<String, Object> caller = Api.consumerBody(unique("svc"), provider, List.of("*"));
    caller.put("service_accounts", List.of(account));
    admin()
        .body(caller)
        .post("/v1/callers")
        .then()
        .statusCode(201)
        .body("service_accounts", equalTo(List.of(account)));
  }

  @Test
  void aProjectedTokenAuthenticatesOnV1AndAsAClientAssertion() {
    String jwt = issuers.serviceAccountToken(account, TestIssuers.AUDIENCE, Duration.ofMinutes(10));
    given()
        .header("Authorization", "Bearer " + jwt)
        .contentType(ContentType.JSON)
        .body(Map.of("provider_id", provider, "subject", subject))
        .post("/v1/tokens")
        .then()
        .statusCode(200);
    // a consumer still reaches only what its allow rules name
    given()
        .header("Authorization", "Bearer " + jwt)
        .get("/v1/callers")
        .then()
        .statusCode(403)
        .body("code", equalTo("forbidden"));
    given()
        .contentType(ContentType.URLENC)
        .formParam(
            "client_assertion_type", "urn:ietf:params:oauth:client-assertion-type:jwt-bearer")
        .formParam("client_assertion", jwt)
        .formParam("grant_type", "urn:ietf:params:oauth:grant-type:token-exchange")
        .formParam("audience", provider)
        .formParam("subject_token", subject)
        .formParam("subject_token_type", "urn:token-broker:token-type:subject")
        .post("/v1/oauth/token")
        .then()
        .statusCode(200)
        .body("token_type", equalTo("Bearer"));
  }

  @Test
  void expiredWrongAudienceUnknownOrForgedTokensAre401() {
    for (String jwt :
        List.of(
            issuers.serviceAccountToken(account, TestIssuers.AUDIENCE, Duration.ofMinutes(-2)),
            issuers.serviceAccountToken(account, "kubernetes", Duration.ofMinutes(10)),
            issuers.serviceAccountToken(
                "system:serviceaccount:apps:nobody", TestIssuers.AUDIENCE, Duration.ofMinutes(10)),
            issuers.forgedServiceAccountToken(account),
            issuers.userToken(account, TestIssuers.AUDIENCE, Duration.ofMinutes(10)))) {
      given()
          .header("Authorization", "Bearer " + jwt)
          .contentType(ContentType.JSON)
          .body(Map.of("provider_id", provider, "subject", subject))
          .post("/v1/tokens")
          .then()
          .statusCode(401)
          .contentType("application/problem+json")
          .body("code", equalTo("unauthenticated"));
      given()
          .contentType(ContentType.URLENC)
          .formParam(
              "client_assertion_type", "urn:ietf:params:oauth:client-assertion-type:jwt-bearer")
          .formParam("client_assertion", jwt)
          .formParam("grant_type", "client_credentials")
          .formParam("audience", provider)
          .post("/v1/oauth/token")
          .then()
          .statusCode(401)
          .body("error", equalTo("invalid_client"));
    }
  }

  @Test
  void aKeyRotatedInAtTheIssuerIsFetchedOnFirstSight() throws InterruptedException {
    String before =
        issuers.serviceAccountToken(account, TestIssuers.AUDIENCE, Duration.ofMinutes(10));
    tokenAs(before).then().statusCode(200);
    // jose4j reads a JWKS at most once per 300 ms, however unknown the key id
    Thread.sleep(400);
    int reads = issuers.clusterJwksReads();
    issuers.rotateClusterKey();
    String after =
        issuers.serviceAccountToken(account, TestIssuers.AUDIENCE, Duration.ofMinutes(10));
    tokenAs(after).then().statusCode(200);
    assertTrue(issuers.clusterJwksReads() > reads, "the new key id made the broker read the JWKS");
    tokenAs(before).then().statusCode(200);
  }

  @Test
  void aServiceAccountBelongsToOneCaller() {
    admin()
        .body(
            Map.of(
                "name", unique("other"), "role", "consumer", "service_accounts", List.of(account)))
        .post("/v1/callers")
        .then()
        .statusCode(409)
        .body("code", equalTo("conflict"));
    admin()
        .body(
            Map.of(
                "name", unique("bad"), "role", "consumer", "service_accounts", List.of("default")))
        .post("/v1/callers")
        .then()
        .statusCode(400)
        .body("code", equalTo("invalid_request"));
  }

  private io.restassured.response.Response tokenAs(String jwt) {
    return given()
        .header("Authorization", "Bearer " + jwt)
        .contentType(ContentType.JSON)
        .body(Map.of("provider_id", provider, "subject", subject))
        .post("/v1/tokens");
  }
}
