package dev.tokenbroker.provider;

import static dev.tokenbroker.support.Api.admin;
import static dev.tokenbroker.support.Api.unique;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;

import dev.tokenbroker.support.Api;
import dev.tokenbroker.support.SecretLeakGuard;
import io.quarkus.test.junit.QuarkusTest;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@QuarkusTest
@ExtendWith(SecretLeakGuard.class)
class ProviderApiTest {

  private static Map<String, Object> generic() {
    return Api.genericProvider();
  }

  @Test
  void putCreatesThenReplacesAndNeverReturnsTheSecret() {
    String id = unique("idp");
    admin()
        .body(generic())
        .put("/v1/providers/" + id)
        .then()
        .statusCode(201)
        .body("id", equalTo(id))
        .body("preset", equalTo("generic"))
        .body("grant_type", equalTo("authorization_code"))
        .body("client_secret", nullValue())
        .body("client_secret_set", equalTo(true))
        .body("client_auth_method", equalTo("client_secret_basic"))
        .body("pkce", equalTo("S256"))
        .body("redirect_uri", containsString("/v1/oauth/callback"))
        .body("refresh_ahead_ratio", equalTo(0.75f))
        .body("display_name", equalTo(id))
        .body("max_concurrent_refreshes", equalTo(8))
        .body("registration", nullValue())
        .body(not(containsString("generic-client-secret-value")));

    Map<String, Object> replaced = generic();
    replaced.remove("client_secret");
    replaced.put("display_name", "Identity");
    replaced.put("client_auth_method", "client_secret_post");
    replaced.put("pkce", "none");
    admin()
        .body(replaced)
        .put("/v1/providers/" + id)
        .then()
        .statusCode(200)
        .body("display_name", equalTo("Identity"))
        .body("client_secret_set", equalTo(true))
        .body("client_auth_method", equalTo("client_secret_post"))
        .body("pkce", equalTo("none"));

    admin()
        .get("/v1/providers/" + id)
        .then()
        .statusCode(200)
        .body("display_name", equalTo("Identity"))
        .body("scopes", equalTo(List.of("openid", "profile", "users:userdata:*")))
        .body(not(containsString("generic-client-secret-value")));
    admin()
        .get("/v1/providers")
        .then()
        .statusCode(200)
        .body("items.id", hasItem(id))
        .body(not(containsString("generic-client-secret-value")));
  }

  @Test
  void concurrentWritesOfOneProviderGetADefinedAnswerNeverA500() throws Exception {
    String id = unique("race");
    List<Integer> statuses =
        dev.tokenbroker.support.Concurrently.run(
            10,
            () -> admin().body(generic()).put("/v1/providers/" + id).then().extract().statusCode());
    for (int status : statuses) {
      org.junit.jupiter.api.Assertions.assertTrue(
          status == 200 || status == 201 || status == 409, "status " + status + " in " + statuses);
    }
    org.junit.jupiter.api.Assertions.assertTrue(statuses.contains(201), "one created it");
    admin().get("/v1/providers/" + id).then().statusCode(200);
  }

  @Test
  void presetsFillEndpointsAndExplicitFieldsOverride() {
    String badgr = unique("badgr");
    admin()
        .body(
            Map.of(
                "preset", "badgr", "region", "test", "client_id", "c", "client_secret", "s1234567"))
        .put("/v1/providers/" + badgr)
        .then()
        .statusCode(201)
        .body("grant_type", equalTo("authorization_code"))
        .body("token_url", equalTo("https://api.test.badgr.com/o/token"))
        .body("authorization_url", equalTo("https://test.badgr.com/auth/oauth2/authorize"))
        .body("client_auth_method", equalTo("client_secret_post"))
        .body("default_scopes", equalTo(List.of("r:profile")));

    admin()
        .body(
            Map.of(
                "preset",
                "open-badge-factory",
                "region",
                "cancred",
                "client_id",
                "org1",
                "client_secret",
                "s"))
        .put("/v1/providers/" + unique("obf"))
        .then()
        .statusCode(201)
        .body("grant_type", equalTo("client_credentials"))
        .body("token_url", equalTo("https://factory.cancred.ca/v2/client/oauth2/token"))
        .body("min_token_request_interval_seconds", equalTo(10))
        .body("redirect_uri", nullValue());

    admin()
        .body(
            Map.of(
                "preset", "brightspace",
                "client_id", "c",
                "token_url", "http://localhost:9999/token",
                "scopes", List.of("core:*:*")))
        .put("/v1/providers/" + unique("d2l"))
        .then()
        .statusCode(201)
        .body("token_url", equalTo("http://localhost:9999/token"))
        .body("authorization_url", equalTo("https://auth.brightspace.com/oauth2/auth"));
  }

  @Test
  void invalidDefinitionsAreRejectedNamingTheField() {
    expectInvalid("Bad_Id", generic(), "provider_id");
    expectInvalid(unique("p"), with("preset", "nope"), "preset");
    expectInvalid(unique("p"), with("grant_type", "password"), "grant_type");
    expectInvalid(unique("p"), without("grant_type"), "grant_type");
    expectInvalid(unique("p"), with("token_url", "not a url"), "token_url");
    expectInvalid(unique("p"), with("token_url", "http://idp.example.test/token"), "token_url");
    expectInvalid(
        unique("p"), with("token_url", "https://user:pw@idp.example.test/token"), "token_url");
    expectInvalid(unique("p"), with("token_url", "ftp://idp.example.test/token"), "token_url");
    expectInvalid(unique("p"), without("token_url"), "token_url");
    expectInvalid(unique("p"), without("authorization_url"), "authorization_url");
    expectInvalid(unique("p"), with("revocation_url", "nope"), "revocation_url");
    expectInvalid(unique("p"), without("client_id"), "client_id");
    expectInvalid(unique("p"), with("client_auth_method", "private_key_jwt"), "client_auth_method");
    expectInvalid(unique("p"), with("pkce", "plain"), "pkce");
    expectInvalid(unique("p"), with("scopes", List.of("bad scope")), "scopes");
    expectInvalid(unique("p"), with("default_scopes", List.of("email")), "default_scopes");
    expectInvalid(unique("p"), with("redirect_uri", "/relative"), "redirect_uri");
    expectInvalid(
        unique("p"),
        with("min_token_request_interval_seconds", -1),
        "min_token_request_interval_seconds");
    expectInvalid(unique("p"), with("refresh_ahead_ratio", 1.5), "refresh_ahead_ratio");
    expectInvalid(unique("p"), with("refresh_ahead_ratio", "high"), "refresh_ahead_ratio");
    expectInvalid(unique("p"), with("max_concurrent_refreshes", 0), "max_concurrent_refreshes");
    expectInvalid(unique("p"), with("max_concurrent_refreshes", 257), "max_concurrent_refreshes");
    expectInvalid(unique("p"), with("region", "us"), "region");
    expectInvalid(unique("p"), with("unknown_field", 1), "unknown_field");
    expectInvalid(
        unique("p"), Map.of("preset", "badgr", "region", "mars", "client_id", "c"), "region");
    expectInvalid(
        unique("p"), Map.of("preset", "badgr", "region", "eu", "client_id", "c"), "token_url");
    expectInvalid(
        unique("p"),
        Map.of("preset", "badgr", "client_id", "c", "redirect_uri", "http://app.example.test/cb"),
        "redirect_uri");
    expectInvalid(
        unique("p"), Map.of("preset", "open-badge-factory", "client_id", "c"), "client_secret");
  }

  @Test
  void deleteRemovesTheProvider() {
    String id = unique("gone");
    admin().body(generic()).put("/v1/providers/" + id).then().statusCode(201);
    admin().delete("/v1/providers/" + id).then().statusCode(204);
    admin()
        .get("/v1/providers/" + id)
        .then()
        .statusCode(404)
        .body("code", equalTo("provider_not_found"));
    admin()
        .delete("/v1/providers/" + id)
        .then()
        .statusCode(404)
        .body("code", equalTo("provider_not_found"));
  }

  private static void expectInvalid(String id, Map<String, Object> body, String field) {
    admin()
        .body(body)
        .put("/v1/providers/" + id)
        .then()
        .statusCode(400)
        .contentType("application/problem+json")
        .body("code", equalTo("invalid_request"))
        .body("invalid_params[0].name", equalTo(field))
        .body("detail", containsString(field));
  }

  private static Map<String, Object> with(String key, Object value) {
    Map<String, Object> body = generic();
    body.put(key, value);
    return body;
  }

  private static Map<String, Object> without(String key) {
    Map<String, Object> body = generic();
    body.remove(key);
    return body;
  }
}
