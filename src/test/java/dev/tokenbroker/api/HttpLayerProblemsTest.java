package dev.tokenbroker.api;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tokenbroker.support.RawHttp;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import java.io.IOException;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * DESIGN §5, §6: requests that the router refuses before any resource runs (targets that are no
 * path: absolute, authority (CONNECT) and asterisk forms; raw bytes a URI may not hold, a
 * backslash, {@code |} or braces in a query; an encoded NUL) are answered as problem+json. Sent as
 * raw bytes over a socket, since HTTP clients refuse to send most of them.
 */
@QuarkusTest
class HttpLayerProblemsTest {

  private static final String ADMIN =
      "Authorization: Bearer " + dev.tokenbroker.support.Api.ADMIN_KEY;

  @Test
  void requestsTheRouterRefusesAreAnsweredAsProblemJson() throws IOException {
    Map<String, Integer> requests =
        Map.ofEntries(
            Map.entry(
                "GET /v1/providers/caf\u00e9 HTTP/1.1\r\nHost: x\r\n" + ADMIN + "\r\n\r\n", 400),
            Map.entry("GET /v1/grants/grt_%00abc HTTP/1.1\r\nHost: x\r\n\r\n", 400),
            Map.entry(
                "GET /v1/grants/grt_%00abc HTTP/1.1\r\nHost: x\r\n" + ADMIN + "\r\n\r\n", 400),
            Map.entry(
                "GET http://other.example/v1/callers HTTP/1.1\r\nHost: x\r\n" + ADMIN + "\r\n\r\n",
                400),
            Map.entry("TRACE /v1/grants HTTP/1.1\r\nHost: x\r\n\r\n", 405),
            Map.entry("BREW /v1/grants HTTP/1.1\r\nHost: x\r\n\r\n", 405),
            Map.entry("GET /v1/grants/%2e%2e/%2e%2e/q/metrics HTTP/1.1\r\nHost: x\r\n\r\n", 404),
            Map.entry(
                "CONNECT idp.example.test:443 HTTP/1.1\r\nHost: idp.example.test:443\r\n\r\n", 400),
            Map.entry("GET * HTTP/1.1\r\nHost: x\r\n\r\n", 400),
            Map.entry("GET /v1/grants/grt_a\\b HTTP/1.1\r\nHost: x\r\n" + ADMIN + "\r\n\r\n", 400),
            Map.entry(
                "GET /v1/grants?cursor=a|b HTTP/1.1\r\nHost: x\r\n" + ADMIN + "\r\n\r\n", 400),
            Map.entry("GET /v1/grants?cursor={} HTTP/1.1\r\nHost: x\r\n\r\n", 400));
    for (Map.Entry<String, Integer> request : requests.entrySet()) {
      String line = request.getKey().split("\r\n")[0];
      String answer = RawHttp.send(RestAssured.port, request.getKey());
      RawHttp.assertProblem(answer, request.getValue(), line);
      assertTrue(!answer.contains("broker_"), "no metrics leak through " + line);
    }
  }
}
