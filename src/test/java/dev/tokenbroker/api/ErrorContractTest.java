package dev.tokenbroker.api;

import static dev.tokenbroker.support.Api.admin;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.not;

import dev.tokenbroker.support.Api;
import io.quarkus.test.junit.QuarkusTest;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Every error is problem+json with a code, and nothing leaks a stack trace. */
@QuarkusTest
class ErrorContractTest {

  @Test
  void unknownPathIsProblemJson() {
    admin()
        .get("/v1/nothing-here")
        .then()
        .statusCode(404)
        .contentType("application/problem+json")
        .body("code", equalTo("not_found"))
        .body("status", equalTo(404));
  }

  @Test
  void wrongMethodIsProblemJson() {
    admin()
        .patch("/v1/callers")
        .then()
        .statusCode(405)
        .contentType("application/problem+json")
        .body("code", equalTo("method_not_allowed"));
  }

  @Test
  void wrongContentTypeIsProblemJson() {
    admin()
        .contentType("text/plain")
        .body("hello")
        .post("/v1/callers")
        .then()
        .statusCode(415)
        .contentType("application/problem+json")
        .body("code", equalTo("unsupported_media_type"));
  }

  @Test
  void malformedJsonNeverLeaksParserInternals() {
    admin()
        .body("{\"name\": \"x\", \"role\": ")
        .post("/v1/callers")
        .then()
        .statusCode(400)
        .contentType("application/problem+json")
        .body("code", equalTo("invalid_request"))
        .body(not(containsString("jackson")))
        .body(not(containsString("at com.")));
    admin()
        .body("{\"name\": 5, \"role\": {}}")
        .put("/v1/providers/abc")
        .then()
        .statusCode(400)
        .body("code", equalTo("invalid_request"));
  }

  @Test
  void requestIdIsEchoedOrGenerated() {
    given()
        .header("X-Request-Id", "req-12345678")
        .get("/v1/callers")
        .then()
        .statusCode(401)
        .header("X-Request-Id", equalTo("req-12345678"));
    given()
        .header("X-Request-Id", "bad id\u0001")
        .get("/v1/callers")
        .then()
        .statusCode(401)
        .header("X-Request-Id", matchesPattern("[0-9a-f-]{36}"));
  }

  @Test
  void healthMetricsAndTheDocumentAreOnTheManagementInterfaceOnly() {
    Api.management()
        .get("/q/health/ready")
        .then()
        .statusCode(200)
        .body("checks.find { it.name == 'crypto' }.status", equalTo("UP"));
    Api.management().get("/q/health/live").then().statusCode(200);
    Api.management().get("/q/metrics").then().statusCode(200);
    Api.management().get("/q/openapi").then().statusCode(200);
    for (String path : List.of("/q/health/ready", "/q/health/live", "/q/metrics", "/q/openapi")) {
      given()
          .get(path)
          .then()
          .statusCode(404)
          .contentType("application/problem+json")
          .body(not(containsString("broker_")));
    }
  }
}
