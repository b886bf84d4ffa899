package dev.tokenbroker.caller;

import static dev.tokenbroker.support.Api.admin;
import static dev.tokenbroker.support.Api.as;
import static dev.tokenbroker.support.Api.unique;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;

import dev.tokenbroker.support.SecretLeakGuard;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@QuarkusTest
@ExtendWith(SecretLeakGuard.class)
class CallerApiTest {

  @Test
  void createCallerReturnsKeyOnceAndListsItWithoutKey() {
    String name = unique("issuer-svc");
    ExtractableResponse<Response> created =
        admin()
            .body(
                Map.of(
                    "name",
                    name,
                    "role",
                    "consumer",
                    "allow",
                    List.of(
                        Map.of(
                            "provider_id", "badgr-us",
                            "subjects", List.of("*"),
                            "scopes", List.of("r:*")))))
            .post("/v1/callers")
            .then()
            .statusCode(201)
            .body("id", startsWith("clr_"))
            .body("name", equalTo(name))
            .body("role", equalTo("consumer"))
            .body("allow[0].provider_id", equalTo("badgr-us"))
            .body("allow[0].scopes", equalTo(List.of("r:*")))
            .body("api_key", startsWith("tbk_"))
            .body("key_id", notNullValue())
            .extract();
    String id = created.path("id");
    String apiKey = created.path("api_key");

    admin()
        .get("/v1/callers/" + id)
        .then()
        .statusCode(200)
        .body("name", equalTo(name))
        .body("api_key", nullValue())
        .body("api_keys", hasSize(1))
        .body("api_keys[0].key_id", equalTo(created.path("key_id")))
        .body(not(containsString(apiKey)));
    admin()
        .get("/v1/callers")
        .then()
        .statusCode(200)
        .body("items.name", hasItem(name))
        .body(not(containsString(apiKey)));
  }

  @Test
  void consumerKeyAuthenticatesButCannotUseAdminEndpoints() {
    String key = consumerKey();
    as(key)
        .get("/v1/callers")
        .then()
        .statusCode(403)
        .contentType("application/problem+json")
        .body("code", equalTo("forbidden"))
        .body("status", equalTo(403));
    as(key).get("/v1/providers").then().statusCode(403).body("code", equalTo("forbidden"));
  }

  @Test
  void adminCallerCreatedThroughApiCanAdminister() {
    String key =
        admin()
            .body(Map.of("name", unique("ops"), "role", "admin"))
            .post("/v1/callers")
            .then()
            .statusCode(201)
            .body("allow", equalTo(List.of()))
            .extract()
            .path("api_key");
    as(key).get("/v1/callers").then().statusCode(200);
  }

  @Test
  void deleteCallerStopsItsKeysAtOnce() {
    ExtractableResponse<Response> created = createConsumer();
    String key = created.path("api_key");
    as(key).get("/v1/providers").then().statusCode(403);
    admin().delete("/v1/callers/" + created.path("id")).then().statusCode(204);
    as(key).get("/v1/providers").then().statusCode(401).body("code", equalTo("unauthenticated"));
    admin()
        .get("/v1/callers/" + created.path("id"))
        .then()
        .statusCode(404)
        .body("code", equalTo("caller_not_found"));
    admin().delete("/v1/callers/" + created.path("id")).then().statusCode(404);
  }

  @Test
  void additionalKeysCanBeIssuedAndDeleted() {
    ExtractableResponse<Response> created = createConsumer();
    String id = created.path("id");
    ExtractableResponse<Response> second =
        admin()
            .post("/v1/callers/" + id + "/api-keys")
            .then()
            .statusCode(201)
            .body("key_id", notNullValue())
            .body("api_key", startsWith("tbk_"))
            .extract();
    as(second.path("api_key")).get("/v1/providers").then().statusCode(403);
    admin().get("/v1/callers/" + id).then().body("api_keys", hasSize(2));

    admin()
        .delete("/v1/callers/" + id + "/api-keys/" + second.path("key_id"))
        .then()
        .statusCode(204);
    as(second.path("api_key")).get("/v1/providers").then().statusCode(401);
    as(created.path("api_key")).get("/v1/providers").then().statusCode(403);
    admin()
        .delete("/v1/callers/" + id + "/api-keys/" + second.path("key_id"))
        .then()
        .statusCode(404)
        .body("code", equalTo("api_key_not_found"));
    admin()
        .post("/v1/callers/clr_aaaaaaaaaaaaaaaaaaaa/api-keys")
        .then()
        .statusCode(404)
        .body("code", equalTo("caller_not_found"));
    admin()
        .post("/v1/callers/clr_missing/api-keys")
        .then()
        .statusCode(400)
        .body("code", equalTo("invalid_request"))
        .body("invalid_params[0].name", equalTo("caller_id"));
  }

  @Test
  void duplicateNameIsAConflict() {
    String name = unique("dup");
    admin().body(Map.of("name", name, "role", "admin")).post("/v1/callers").then().statusCode(201);
    admin()
        .body(Map.of("name", name, "role", "admin"))
        .post("/v1/callers")
        .then()
        .statusCode(409)
        .body("code", equalTo("caller_name_taken"));
  }

  @Test
  void invalidCallerBodiesAreRejectedNamingTheField() {
    admin()
        .body(Map.of("role", "admin"))
        .post("/v1/callers")
        .then()
        .statusCode(400)
        .contentType("application/problem+json")
        .body("code", equalTo("invalid_request"))
        .body("invalid_params[0].name", equalTo("name"));
    admin()
        .body(Map.of("name", "x", "role", "root"))
        .post("/v1/callers")
        .then()
        .statusCode(400)
        .body("code", equalTo("invalid_request"))
        .body("invalid_params[0].name", equalTo("role"));
    admin()
        .body(Map.of("name", "bad name!", "role", "admin"))
        .post("/v1/callers")
        .then()
        .statusCode(400)
        .body("invalid_params[0].name", equalTo("name"));
    admin()
        .body(Map.of("name", "x", "role", "admin", "colour", "red"))
        .post("/v1/callers")
        .then()
        .statusCode(400)
        .body("code", equalTo("invalid_request"))
        .body("invalid_params[0].name", equalTo("colour"));
    admin()
        .body(
            Map.of(
                "name",
                "x",
                "role",
                "consumer",
                "allow",
                List.of(
                    Map.of(
                        "provider_id", "Bad!", "subjects", List.of("*"), "scopes", List.of("*")))))
        .post("/v1/callers")
        .then()
        .statusCode(400)
        .body("invalid_params[0].name", equalTo("allow[0].provider_id"));
    admin()
        .body(
            Map.of(
                "name",
                "x",
                "role",
                "consumer",
                "allow",
                List.of(Map.of("provider_id", "p", "subjects", List.of(), "scopes", List.of("*")))))
        .post("/v1/callers")
        .then()
        .statusCode(400)
        .body("invalid_params[0].name", equalTo("allow[0].subjects"));
    admin()
        .body("{\"name\": ")
        .post("/v1/callers")
        .then()
        .statusCode(400)
        .body("code", equalTo("invalid_request"));
    admin()
        .body("")
        .post("/v1/callers")
        .then()
        .statusCode(400)
        .body("code", equalTo("invalid_request"));
    admin()
        .body("[]")
        .post("/v1/callers")
        .then()
        .statusCode(400)
        .body("code", equalTo("invalid_request"));
  }

  @Test
  void missingOrWrongKeyIsUnauthenticated() {
    given()
        .get("/v1/callers")
        .then()
        .statusCode(401)
        .contentType("application/problem+json")
        .header("WWW-Authenticate", startsWith("Bearer"))
        .body("code", equalTo("unauthenticated"));
    as("tbk_aaaaaaaaaaaaaaaa_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")
        .get("/v1/callers")
        .then()
        .statusCode(401)
        .body("code", equalTo("unauthenticated"));
    given().header("Authorization", "Basic Zm9vOmJhcg==").get("/v1/callers").then().statusCode(401);
    as("test-admin-key-0123456789abcdefghijklmnoX").get("/v1/callers").then().statusCode(401);
  }

  private static String consumerKey() {
    return createConsumer().path("api_key");
  }

  private static ExtractableResponse<Response> createConsumer() {
    return admin()
        .body(
            Map.of(
                "name", unique("consumer"),
                "role", "consumer",
                "allow",
                    List.of(
                        Map.of(
                            "provider_id", "*", "subjects", List.of("*"), "scopes", List.of("*")))))
        .post("/v1/callers")
        .then()
        .statusCode(201)
        .extract();
  }
}
