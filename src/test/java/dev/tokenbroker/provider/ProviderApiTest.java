package dev.tokenbroker.provider;

import static dev.tokenbroker.support.Api.admin;
import static dev.tokenbroker.support.Api.unique;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyBoolean;
import static org.mockito.ArgumentMatchers.eq;

import dev.tokenbroker.db.Database;
import dev.tokenbroker.support.Api;
import dev.tokenbroker.support.SecretLeakGuard;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.mockito.InjectSpy;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.mockito.Mockito;

@QuarkusTest
@ExtendWith(SecretLeakGuard.class)
class ProviderApiTest {

  @InjectSpy ProviderDefinitions definitions;
  @Inject Database db;

  private static Map<String, Object> generic() {
    return Api.genericProvider();
  }

  @Test
  void aStoredSecretDoesNotFollowItsEndpointsOrClientToANewPlace() {
    String id = unique("idp");
    admin().body(generic()).put("/v1/providers/" + id).then().statusCode(201);
    Map<String, List<Object>> moves =
        Map.of(
            "token_url", List.of("token_url", "https://attacker.example.test/token"),
            "revocation_url", List.of("revocation_url", "https://attacker.example.test/revoke"),
            "authorization_url",
                List.of("authorization_url", "https://attacker.example.test/authorize"),
            "client_id", List.of("client_id", "someone-else"));
    for (Map.Entry<String, List<Object>> move : moves.entrySet()) {
      Map<String, Object> body = generic();
      body.remove("client_secret");
      body.put((String) move.getValue().get(0), move.getValue().get(1));
      admin()
          .body(body)
          .put("/v1/providers/" + id)
          .then()
          .statusCode(400)
          .contentType("application/problem+json")
          .body("code", equalTo("client_secret_required"))
          .body("invalid_params[0].name", equalTo("client_secret"))
          .body("detail", containsString(move.getKey()));
    }
    admin()
        .get("/v1/providers/" + id)
        .then()
        .body("token_url", equalTo("https://idp.example.test/token"))
        .body("client_id", equalTo("broker-client"));

    // the same path on the same host, other settings, or a new secret with the move: accepted
    Map<String, Object> samePlace = generic();
    samePlace.remove("client_secret");
    samePlace.put("authorization_url", "https://idp.example.test/other/authorize");
    samePlace.put("display_name", "Same place");
    admin().body(samePlace).put("/v1/providers/" + id).then().statusCode(200);
    Map<String, Object> withSecret = generic();
    withSecret.put("token_url", "https://idp2.example.test/token");
    withSecret.put("client_secret", "a-secret-given-for-idp2");
    admin()
        .body(withSecret)
        .put("/v1/providers/" + id)
        .then()
        .statusCode(200)
        .body("token_url", equalTo("https://idp2.example.test/token"));
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
  void aReplaceThatLostToAConcurrentOneIs409AndLeavesTheOtherWrite() {
    String id = unique("lost");
    admin().body(generic()).put("/v1/providers/" + id).then().statusCode(201);
    // another replica replaces the provider after this PUT read it and before it writes
    Mockito.doAnswer(
            call -> {
              QuarkusTransaction.requiringNew()
                  .run(
                      () ->
                          db.update(
                              "A concurrent replace",
                              "update provider set display_name = 'Other replica',"
                                  + " version = version + 1 where id = ?1",
                              id));
              return call.callRealMethod();
            })
        .when(definitions)
        .resolve(eq(id), any(), anyBoolean());
    try {
      Map<String, Object> body = generic();
      body.put("display_name", "This request");
      admin()
          .body(body)
          .put("/v1/providers/" + id)
          .then()
          .statusCode(409)
          .contentType("application/problem+json")
          .body("code", equalTo("conflict"));
    } finally {
      Mockito.reset(definitions);
    }
    admin()
        .get("/v1/providers/" + id)
        .then()
        .statusCode(200)
        .body("display_name", equalTo("Other replica"));
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
  void urlsThatLeaveThePublicInternetAreRefusedNamingTheField() {
    List<String> refused =
        List.of(
            "http://idp.example.test/token",
            "http://127.evil.example/t",
            "https://127.0.0.2/token",
            "https://tokens.localhost/token",
            "https://10.0.0.5/token",
            "https://172.16.3.4/token",
            "https://192.168.1.1/token",
            "https://169.254.169.254/latest/meta-data/iam",
            "https://100.64.0.1/token",
            "https://0.0.0.0/token",
            "https://224.0.0.1/token",
            "https://[fe80::1]/token",
            "https://[fd00::1]/token",
            "https://[::ffff:10.0.0.5]/token",
            "https://[::]/token");
    for (String url : refused) {
      for (String field : List.of("token_url", "revocation_url", "authorization_url")) {
        admin()
            .body(with(field, url))
            .put("/v1/providers/" + unique("p"))
            .then()
            .statusCode(400)
            .contentType("application/problem+json")
            .body("code", equalTo("url_not_allowed"))
            .body("invalid_params[0].name", equalTo(field));
      }
    }
    // a public address, and the loopback addresses the test profile allows (127.0.0.1, ::1)
    admin()
        .body(with("token_url", "https://93.184.215.14/token"))
        .put("/v1/providers/" + unique("p"))
        .then()
        .statusCode(201);
    admin()
        .body(with("token_url", "http://127.0.0.1:9/token"))
        .put("/v1/providers/" + unique("p"))
        .then()
        .statusCode(201);
  }

  @Test
  void invalidDefinitionsAreRejectedNamingTheField() {
    expectInvalid("Bad_Id", generic(), "provider_id");
    expectInvalid(unique("p"), with("preset", "nope"), "preset");
    expectInvalid(unique("p"), with("grant_type", "password"), "grant_type");
    expectInvalid(unique("p"), without("grant_type"), "grant_type");
    expectInvalid(unique("p"), with("token_url", "not a url"), "token_url");
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
    expectInvalid(unique("p"), with("downscope", "sometimes"), "downscope");
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
