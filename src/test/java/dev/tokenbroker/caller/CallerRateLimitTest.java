package dev.tokenbroker.caller;

import static dev.tokenbroker.support.Api.as;
import static dev.tokenbroker.support.Api.unique;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.notNullValue;

import dev.tokenbroker.support.Api;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The per-caller limit on POST /v1/tokens answers 429 rate_limited with Retry-After. */
@QuarkusTest
@TestProfile(CallerRateLimitTest.TightLimit.class)
class CallerRateLimitTest {

  /** Three requests at once, then one every ten seconds. */
  public static class TightLimit implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      return Map.of(
          "broker.rate-limit.token-request-burst", "3",
          "broker.rate-limit.token-requests-per-second", "0.1");
    }
  }

  @Test
  void callerOverItsLimitGets429WhileOthersAreUnaffected() {
    String noisy = Api.consumer(unique("noisy"), "p", List.of("*"));
    String quiet = Api.consumer(unique("quiet"), "p", List.of("*"));
    Map<String, Object> body = Map.of("provider_id", "p", "subject", "s");
    for (int i = 0; i < 3; i++) {
      as(noisy).body(body).post("/v1/tokens").then().statusCode(404);
    }
    as(noisy)
        .body(body)
        .post("/v1/tokens")
        .then()
        .statusCode(429)
        .contentType("application/problem+json")
        .body("code", equalTo("rate_limited"))
        .body("retry_after_seconds", greaterThan(0))
        .header("Retry-After", notNullValue());
    as(quiet).body(body).post("/v1/tokens").then().statusCode(404);
  }
}
