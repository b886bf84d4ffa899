package dev.tokenbroker.caller;

import static dev.tokenbroker.support.Api.as;
import static dev.tokenbroker.support.Api.unique;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tokenbroker.db.Database;
import dev.tokenbroker.support.Api;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.junit.mockito.InjectSpy;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.mockito.Mockito;

/** The per-caller limit on POST /v1/tokens answers 429 rate_limited with Retry-After. */
@QuarkusTest
@TestProfile(CallerRateLimitTest.TightLimit.class)
class CallerRateLimitTest {

  /**
   * Three token requests at once, then one every ten seconds; eight refused credentials per client
   * address, then one every twenty seconds.
   */
  public static class TightLimit implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      return Map.of(
          "broker.rate-limit.token-request-burst", "3",
          "broker.rate-limit.token-requests-per-second", "0.1",
          "broker.rate-limit.refusal-burst", "8",
          "broker.rate-limit.refusals-per-second", "0.05");
    }
  }

  @InjectSpy Database db;

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

  @Test
  void aFloodOfUnknownKeysCostsOneReadPerKeyThen429WhileAValidCallerIsServed() {
    String valid = Api.consumer(unique("valid"), "p", List.of("*"));
    as(valid).get("/v1/grants").then().statusCode(200);
    List<String> junk = unknownKeys(4);
    long before = statements();
    Map<Integer, Integer> statuses = new HashMap<>();
    for (int round = 0; round < 5; round++) {
      for (String key : junk) {
        int status =
            as(key)
                .get("/v1/grants")
                .then()
                .contentType("application/problem+json")
                .extract()
                .statusCode();
        statuses.merge(status, 1, Integer::sum);
      }
    }
    assertTrue(
        statements() - before <= junk.size(),
        "at most one read per distinct unknown key: " + (statements() - before));
    assertEquals(Map.of(401, 8, 429, 12), statuses, "eight refusals, then the address is limited");

    // over the limit, new keys cost no read at all, and a valid caller is still served
    long limited = statements();
    for (int i = 0; i < 50; i++) {
      as(ApiKeys.issue().apiKey())
          .get("/v1/grants")
          .then()
          .statusCode(429)
          .body("code", equalTo("rate_limited"))
          .header("Retry-After", notNullValue());
    }
    assertEquals(limited, statements(), "no read for a limited address");
    as(valid).get("/v1/grants").then().statusCode(200);
  }

  @Test
  void theOAuthTokenEndpointCountsRefusedClientsPerAddressToo() throws Exception {
    // from 127.0.0.3, an address of its own, so that no other test's refusals count here
    List<String> junk = unknownKeys(4);
    long before = statements();
    Map<Integer, Integer> statuses = new HashMap<>();
    for (int round = 0; round < 5; round++) {
      for (String key : junk) {
        String form =
            "grant_type=client_credentials&audience=p&client_id=clr_nobody&client_secret=" + key;
        statuses.merge(postFrom("127.0.0.3", "/v1/oauth/token", form), 1, Integer::sum);
      }
    }
    assertTrue(statements() - before <= junk.size());
    assertEquals(Map.of(401, 8, 429, 12), statuses);
  }

  /** SQL statements the broker has run (each call of {@link Database} runs one). */
  private long statements() {
    return Mockito.mockingDetails(db).getInvocations().size();
  }

  /** The status of a form POST sent from {@code localAddress} over a raw socket. */
  private static int postFrom(String localAddress, String path, String form) throws Exception {
    try (java.net.Socket socket = new java.net.Socket()) {
      socket.bind(new java.net.InetSocketAddress(localAddress, 0));
      socket.connect(new java.net.InetSocketAddress("127.0.0.1", io.restassured.RestAssured.port));
      socket.setSoTimeout(10_000);
      byte[] body = form.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
      String head =
          "POST "
              + path
              + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n"
              + "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: "
              + body.length
              + "\r\n\r\n";
      socket.getOutputStream().write(head.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
      socket.getOutputStream().write(body);
      String answer =
          new String(
              socket.getInputStream().readNBytes(12), java.nio.charset.StandardCharsets.US_ASCII);
      return Integer.parseInt(answer.substring(9, 12));
    }
  }

  /** Well-formed API keys that no caller has. */
  private static List<String> unknownKeys(int count) {
    List<String> keys = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      keys.add(ApiKeys.issue().apiKey());
    }
    return keys;
  }
}
