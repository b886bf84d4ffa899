package dev.tokenbroker.token;

import static dev.tokenbroker.support.Api.admin;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What {@code POST /v1/tokens} answers to a body that breaks its constraints. */
@QuarkusTest
class TokenRequestValidationTest {

  @Test
  void everyBrokenFieldIsNamedInSnakeCase() {
    Map<String, Object> body = new HashMap<>();
    body.put("provider_id", "Not A Provider");
    body.put("scopes", List.of("ok", ""));
    body.put("min_validity_seconds", -1);
    body.put("rejected_access_token", "");
    refused(body)
        .body(
            "invalid_params.name",
            contains("min_validity_seconds", "provider_id", "rejected_access_token", "scopes[1]"))
        .body(
            "invalid_params.reason",
            contains(
                "must be greater than or equal to 0",
                "must be 1-64 of [a-z0-9-]",
                "size must be between 1 and 8192",
                "size must be between 1 and 200"))
        .body(
            "detail",
            equalTo(
                "min_validity_seconds: must be greater than or equal to 0; provider_id: must be"
                    + " 1-64 of [a-z0-9-]; rejected_access_token: size must be between 1 and 8192;"
                    + " scopes[1]: size must be between 1 and 200"));
  }

  @Test
  void aMissingProviderIsNamed() {
    refused(Map.of("subject", "user-1"))
        .body("invalid_params.name", contains("provider_id"))
        .body("invalid_params.reason", contains("must not be null"));
  }

  @Test
  void aNullOrAbsentBodyIsNamedAsTheBody() {
    for (String body : List.of("null", "")) {
      refused(body)
          .body("invalid_params.name", contains("body"))
          .body("invalid_params.reason", contains("must not be null"))
          .body("detail", equalTo("body: must not be null"));
    }
  }

  @Test
  void anUnauthenticatedCallerLearnsNothingAboutTheBody() {
    given()
        .contentType("application/json")
        .body(Map.of("provider_id", "Not A Provider"))
        .post("/v1/tokens")
        .then()
        .statusCode(401);
  }

  /** The answer to an admin's token request with this body: a 400 invalid_request problem. */
  private static ValidatableResponse refused(Object body) {
    return admin()
        .body(body)
        .post("/v1/tokens")
        .then()
        .statusCode(400)
        .contentType("application/problem+json")
        .body("code", equalTo("invalid_request"));
  }
}
