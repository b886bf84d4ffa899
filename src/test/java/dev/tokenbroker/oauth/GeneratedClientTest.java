package dev.tokenbroker.oauth;

import static dev.tokenbroker.support.Api.admin;
import static dev.tokenbroker.support.Api.unique;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tokenbroker.client.ApiClient;
import dev.tokenbroker.client.ApiException;
import dev.tokenbroker.client.api.CallerResourceApi;
import dev.tokenbroker.client.api.TokenResourceApi;
import dev.tokenbroker.client.model.AllowRule;
import dev.tokenbroker.client.model.CallerRequest;
import dev.tokenbroker.client.model.Created;
import dev.tokenbroker.client.model.Role;
import dev.tokenbroker.client.model.TokenRequest;
import dev.tokenbroker.client.model.TokenResponse;
import dev.tokenbroker.simulator.InjectSimulator;
import dev.tokenbroker.simulator.ProviderSimulator;
import dev.tokenbroker.support.Api;
import dev.tokenbroker.support.Flows;
import dev.tokenbroker.support.SecretLeakGuard;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A client generated at build time from docs/openapi.json (the served document, as {@code
 * OpenApiDocumentTest} checks) creates a consumer and gets a token through {@code POST /v1/tokens}.
 */
@QuarkusTest
@ExtendWith(SecretLeakGuard.class)
@TestProfile(StandardInterfacesProfile.class)
class GeneratedClientTest {

  @InjectSimulator ProviderSimulator sim;

  @Test
  void theGeneratedClientCreatesACallerAndGetsAToken() throws Exception {
    sim.reset();
    String provider = unique("generated");
    Flows.registerCodeProvider(provider, sim, Map.of());
    String subject = unique("learner");
    String grantId = Flows.importGrant(provider, subject, sim.issueRefreshTokenFor("r:profile"));

    Created consumer =
        new CallerResourceApi(client(Api.ADMIN_KEY))
            .callerResourceCreate(
                new CallerRequest()
                    .name(unique("generated-client"))
                    .role(Role.CONSUMER)
                    .allow(
                        List.of(
                            new AllowRule()
                                .providerId(provider)
                                .subjects(List.of("*"))
                                .scopes(List.of("r:*")))));
    TokenResourceApi tokens = new TokenResourceApi(client(consumer.getApiKey()));
    TokenResponse token =
        tokens.tokenResourceIssue(new TokenRequest().providerId(provider).subject(subject));

    String expected =
        admin()
            .body(Map.of("provider_id", provider, "subject", subject))
            .post("/v1/tokens")
            .then()
            .statusCode(200)
            .extract()
            .path("access_token");
    assertEquals(expected, token.getAccessToken());
    assertEquals(grantId, token.getGrantId());

    ApiException missing =
        assertThrows(
            ApiException.class,
            () ->
                tokens.tokenResourceIssue(
                    new TokenRequest().providerId(provider).subject("nobody")));
    assertEquals(404, missing.getCode());
    assertTrue(missing.getResponseBody().contains("grant_not_found"), missing.getResponseBody());
  }

  private static ApiClient client(String apiKey) {
    ApiClient client = new ApiClient();
    client.updateBaseUri(RestAssured.baseURI + ":" + RestAssured.port);
    client.setRequestInterceptor(request -> request.header("Authorization", "Bearer " + apiKey));
    return client;
  }
}
