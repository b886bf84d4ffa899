package dev.tokenbroker.oauth;

import static dev.tokenbroker.support.Api.admin;
import static dev.tokenbroker.support.Api.unique;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tokenbroker.simulator.InjectSimulator;
import dev.tokenbroker.simulator.ProviderSimulator;
import dev.tokenbroker.support.Api;
import dev.tokenbroker.support.Flows;
import dev.tokenbroker.support.InjectIssuers;
import dev.tokenbroker.support.SecretLeakGuard;
import dev.tokenbroker.support.TestIssuers;
import io.quarkus.oidc.client.OidcClient;
import io.quarkus.oidc.client.OidcClients;
import io.quarkus.oidc.client.Tokens;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code POST /v1/oauth/token} (issue 16 §1): a standard OAuth client (Quarkus OIDC Client) gets
 * tokens through it, and every error is an RFC 6749 error body.
 */
@QuarkusTest
@ExtendWith(SecretLeakGuard.class)
@TestProfile(StandardInterfacesProfile.class)
class OAuthTokenEndpointTest {

  private static final String EXCHANGE = "urn:ietf:params:oauth:grant-type:token-exchange";
  private static final String SUBJECT_TYPE = "urn:token-broker:token-type:subject";
  private static final String JWT_TYPE = "urn:ietf:params:oauth:token-type:jwt";

  @InjectSimulator ProviderSimulator sim;
  @InjectIssuers TestIssuers issuers;
  @Inject OidcClients oidcClients;

  @BeforeEach
  void providers() {
    sim.reset();
    Map<String, Object> client = new HashMap<>(Flows.simulatorCodeProvider(sim));
    client.remove("authorization_url");
    client.put("preset", "generic");
    client.put("grant_type", "client_credentials");
    client.put("scopes", List.of("r:profile", "r:backpack"));
    admin().body(client).put("/v1/providers/" + StandardInterfacesProfile.CLIENT_PROVIDER);
    admin()
        .body(Flows.codeProvider(sim, Map.of()))
        .put("/v1/providers/" + StandardInterfacesProfile.CODE_PROVIDER);
  }

  @Test
  void quarkusOidcClientGetsTheSameTokensAsPostV1Tokens() {
    OidcClient clientCredentials = oidcClients.getClient("broker-client");
    Tokens viaOAuth = clientCredentials.getTokens().await().atMost(Duration.ofSeconds(30));
    String viaBrokerApi =
        admin()
            .body(Map.of("provider_id", StandardInterfacesProfile.CLIENT_PROVIDER))
            .post("/v1/tokens")
            .then()
            .statusCode(200)
            .extract()
            .path("access_token");
    assertEquals(viaBrokerApi, viaOAuth.getAccessToken(), "one token service, two front doors");

    String subject = unique("learner");
    Flows.importGrant(
        StandardInterfacesProfile.CODE_PROVIDER, subject, sim.issueRefreshTokenFor("r:profile"));
    OidcClient exchange = oidcClients.getClient("broker-exchange");
    Tokens exchanged =
        exchange.getTokens(Map.of("subject_token", subject)).await().atMost(Duration.ofSeconds(30));
    String forSubject =
        admin()
            .body(
                Map.of("provider_id", StandardInterfacesProfile.CODE_PROVIDER, "subject", subject))
            .post("/v1/tokens")
            .then()
            .statusCode(200)
            .extract()
            .path("access_token");
    assertEquals(forSubject, exchanged.getAccessToken());
    assertEquals(1, sim.tokenCalls("refresh_token"), "the exchange and the API shared one refresh");
  }

  @Test
  void aConsumerAuthenticatesWithItsCallerIdAndApiKeyInTheForm() {
    Map<String, Object> created = consumer(StandardInterfacesProfile.CODE_PROVIDER);
    String subject = unique("learner");
    Flows.importGrant(
        StandardInterfacesProfile.CODE_PROVIDER, subject, sim.issueRefreshTokenFor("r:profile"));
    form()
        .formParam("client_id", created.get("id"))
        .formParam("client_secret", created.get("api_key"))
        .formParam("grant_type", EXCHANGE)
        .formParam("audience", StandardInterfacesProfile.CODE_PROVIDER)
        .formParam("subject_token", subject)
        .formParam("subject_token_type", SUBJECT_TYPE)
        .post("/v1/oauth/token")
        .then()
        .statusCode(200)
        .header("Cache-Control", "no-store")
        .body("issued_token_type", equalTo("urn:ietf:params:oauth:token-type:access_token"))
        .body("token_type", equalTo("Bearer"))
        .body("expires_in", greaterThan(30))
        .body("scope", equalTo("r:profile"));
    // the same consumer may not reach a provider its allow rules do not name
    form()
        .formParam("client_id", created.get("id"))
        .formParam("client_secret", created.get("api_key"))
        .formParam("grant_type", "client_credentials")
        .formParam(
            "resource", "urn:token-broker:provider:" + StandardInterfacesProfile.CLIENT_PROVIDER)
        .post("/v1/oauth/token")
        .then()
        .statusCode(400)
        .body("error", equalTo("invalid_target"));
  }

  @Test
  void anEndUsersJwtFromTheTrustedIssuerNamesTheSubject() {
    String subject = unique("learner");
    Flows.importGrant(
        StandardInterfacesProfile.CODE_PROVIDER, subject, sim.issueRefreshTokenFor("r:profile"));
    String token =
        exchange(issuers.userToken(subject, TestIssuers.AUDIENCE, Duration.ofMinutes(5)), JWT_TYPE)
            .then()
            .statusCode(200)
            .extract()
            .path("access_token");
    String forSubject =
        admin()
            .body(
                Map.of("provider_id", StandardInterfacesProfile.CODE_PROVIDER, "subject", subject))
            .post("/v1/tokens")
            .then()
            .extract()
            .path("access_token");
    assertEquals(forSubject, token);

    for (String bad :
        List.of(
            issuers.userToken(subject, TestIssuers.AUDIENCE, Duration.ofMinutes(-5)),
            issuers.userToken(subject, "someone-else", Duration.ofMinutes(5)),
            issuers.forgedUserToken(subject),
            issuers.serviceAccountToken(subject, TestIssuers.AUDIENCE, Duration.ofMinutes(5)),
            "not-a-jwt")) {
      exchange(bad, JWT_TYPE)
          .then()
          .statusCode(400)
          .body("error", equalTo("invalid_request"))
          .body("error_description", startsWith("subject_token"));
    }
  }

  @Test
  void theSameSubAtTwoIssuersNamesTwoSubjects() {
    String sub = unique("alice");
    Flows.importGrant(
        StandardInterfacesProfile.CODE_PROVIDER, sub, sim.issueRefreshTokenFor("r:profile"));
    // the default-namespace issuer's alice is the broker's alice
    exchange(issuers.userToken(sub, TestIssuers.AUDIENCE, Duration.ofMinutes(5)), JWT_TYPE)
        .then()
        .statusCode(200);
    // the partner's alice is partner:alice, who has no grant: never the other alice's tokens
    exchange(issuers.partnerUserToken(sub), JWT_TYPE)
        .then()
        .statusCode(400)
        .body("error", equalTo("invalid_grant"))
        .body("access_token", equalTo(null));
    Flows.importGrant(
        StandardInterfacesProfile.CODE_PROVIDER,
        "partner:" + sub,
        sim.issueRefreshTokenFor("r:profile"));
    String partners =
        exchange(issuers.partnerUserToken(sub), JWT_TYPE)
            .then()
            .statusCode(200)
            .extract()
            .path("access_token");
    String alices =
        exchange(issuers.userToken(sub, TestIssuers.AUDIENCE, Duration.ofMinutes(5)), JWT_TYPE)
            .then()
            .extract()
            .path("access_token");
    assertNotEquals(alices, partners);
  }

  @Test
  void everyFailureIsAnRfc6749Error() {
    String subject = unique("learner");
    expectError(form().formParam("grant_type", "client_credentials"), 401, "invalid_client")
        .header("WWW-Authenticate", startsWith("Basic"));
    expectError(
        form()
            .auth()
            .preemptive()
            .basic("bootstrap-admin", "wrong-secret-0123456789abcdefghijklmnop")
            .formParam("grant_type", "client_credentials")
            .formParam("audience", StandardInterfacesProfile.CLIENT_PROVIDER),
        401,
        "invalid_client");
    expectError(
        asAdmin(form()).formParam("grant_type", "password").formParam("audience", "x"),
        400,
        "unsupported_grant_type");
    expectError(
        asAdmin(form()).formParam("grant_type", "client_credentials"), 400, "invalid_request");
    expectError(
        asAdmin(form())
            .formParam("grant_type", "client_credentials")
            .formParam("audience", "no-such-provider"),
        400,
        "invalid_target");
    expectError(
        asAdmin(form())
            .formParam("grant_type", "client_credentials")
            .formParam("audience", StandardInterfacesProfile.CODE_PROVIDER),
        400,
        "invalid_target");
    expectError(exchange(subject, SUBJECT_TYPE), 400, "invalid_grant");
    expectError(
        asAdmin(form())
            .formParam("grant_type", "client_credentials")
            .formParam("audience", StandardInterfacesProfile.CLIENT_PROVIDER)
            .formParam("audience", StandardInterfacesProfile.CLIENT_PROVIDER),
        400,
        "invalid_request");
    expectError(
        asAdmin(form())
            .formParam("grant_type", "client_credentials")
            .formParam("audience", StandardInterfacesProfile.CLIENT_PROVIDER)
            .formParam("scope", "rw:everything"),
        400,
        "invalid_scope");

    Flows.importGrant(
        StandardInterfacesProfile.CODE_PROVIDER, subject, sim.issueRefreshTokenFor("r:profile"));
    sim.failNext(new ProviderSimulator.Fault(503, "temporarily_unavailable", 7L, 0));
    expectError(exchange(subject, SUBJECT_TYPE), 503, "temporarily_unavailable")
        .header("Retry-After", "7");
    sim.failNext(new ProviderSimulator.Fault(400, "invalid_grant", null, 0));
    expectError(exchange(subject, SUBJECT_TYPE), 400, "invalid_grant")
        .body("error_description", startsWith("reauthorization_required"));
  }

  /** Random forms, auth headers and values: never a 5xx, always an RFC 6749 body or a token. */
  @Test
  void hostileFormsGetRfc6749AnswersAndNever5xx() {
    java.util.Random random = new java.util.Random(16);
    List<String> names =
        List.of(
            "grant_type",
            "audience",
            "resource",
            "scope",
            "subject_token",
            "subject_token_type",
            "requested_token_type",
            "actor_token",
            "client_id",
            "client_secret",
            "client_assertion",
            "client_assertion_type",
            "x\u0000y",
            "");
    List<String> values =
        List.of(
            "client_credentials",
            EXCHANGE,
            SUBJECT_TYPE,
            JWT_TYPE,
            StandardInterfacesProfile.CLIENT_PROVIDER,
            StandardInterfacesProfile.CODE_PROVIDER,
            "urn:token-broker:provider:" + StandardInterfacesProfile.CODE_PROVIDER,
            "r:profile r:*",
            "a.b.c",
            "eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.",
            "%00%ZZ",
            "\u0000\u0007",
            "\uD800",
            "\u00e9\u4e2d\uD83D\uDE00",
            "x".repeat(9_000),
            "bootstrap-admin",
            Api.ADMIN_KEY);
    for (int i = 0; i < 300; i++) {
      RequestSpecification request = form();
      switch (random.nextInt(4)) {
        case 0 -> request = asAdmin(request);
        case 1 ->
            request.header("Authorization", "Basic " + values.get(random.nextInt(values.size())));
        case 2 -> request.header("Authorization", "Bearer " + Api.ADMIN_KEY);
        default -> {}
      }
      int parameters = random.nextInt(7);
      for (int p = 0; p < parameters; p++) {
        request.formParam(
            names.get(random.nextInt(names.size())), values.get(random.nextInt(values.size())));
      }
      Response response = request.post("/v1/oauth/token");
      assertTrue(response.statusCode() < 500, response.statusCode() + " " + response.asString());
      String body = response.asString();
      assertTrue(
          body.contains("\"error\"") || body.contains("\"access_token\""),
          response.statusCode() + " " + body);
    }
  }

  private Map<String, Object> consumer(String providerId) {
    return Api.createCaller(Api.consumerBody(unique("svc"), providerId, List.of("*")));
  }

  private Response exchange(String subjectToken, String type) {
    return asAdmin(form())
        .formParam("grant_type", EXCHANGE)
        .formParam("audience", StandardInterfacesProfile.CODE_PROVIDER)
        .formParam("subject_token", subjectToken)
        .formParam("subject_token_type", type)
        .post("/v1/oauth/token");
  }

  private static io.restassured.response.ValidatableResponse expectError(
      Object request, int status, String error) {
    Response response =
        request instanceof Response r
            ? r
            : ((RequestSpecification) request).post("/v1/oauth/token");
    return response
        .then()
        .statusCode(status)
        .contentType(ContentType.JSON)
        .header("Cache-Control", "no-store")
        .body("error", equalTo(error))
        .body("type", nullValue());
  }

  private static RequestSpecification form() {
    return given().contentType(ContentType.URLENC);
  }

  private static RequestSpecification asAdmin(RequestSpecification request) {
    return request.auth().preemptive().basic("bootstrap-admin", Api.ADMIN_KEY);
  }
}
