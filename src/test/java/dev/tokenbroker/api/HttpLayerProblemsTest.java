package dev.tokenbroker.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * DESIGN §5, §6: requests that the router refuses before any resource runs (targets that are no
 * path: absolute, authority (CONNECT) and asterisk forms; raw bytes a URI may not hold, a
 * backslash, {@code |} or braces in a query; an encoded NUL) are answered as problem+json. Sent as
 * raw bytes over a socket, since HTTP clients refuse to send most of them.
 */
@QuarkusTest
class HttpLayerProblemsTest {

  private static final Pattern STATUS = Pattern.compile("HTTP/1\\.1 (\\d{3}) ");
  private static final Pattern LENGTH = Pattern.compile("(?i)content-length: *(\\d+)");
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
      String answer = send(request.getKey().getBytes(StandardCharsets.UTF_8));
      Matcher status = STATUS.matcher(answer);
      assertTrue(status.find(), line + " -> " + answer);
      assertEquals(request.getValue(), Integer.parseInt(status.group(1)), line + " -> " + answer);
      assertTrue(
          answer
              .toLowerCase(java.util.Locale.ROOT)
              .contains("content-type: application/problem+json"),
          line + " -> " + answer);
      assertTrue(answer.contains("\"code\":\""), line + " -> " + answer);
      assertTrue(!answer.contains("broker_"), "no metrics leak through " + line);
    }
  }

  private static String send(byte[] request) throws IOException {
    try (Socket socket = new Socket("127.0.0.1", RestAssured.port)) {
      socket.setSoTimeout(5000);
      OutputStream out = socket.getOutputStream();
      out.write(request);
      out.flush();
      InputStream in = socket.getInputStream();
      ByteArrayOutputStream answer = new ByteArrayOutputStream();
      byte[] buffer = new byte[4096];
      for (int n; (n = in.read(buffer)) > 0; ) {
        answer.write(buffer, 0, n);
        if (complete(answer.toString(StandardCharsets.UTF_8))) {
          break;
        }
      }
      return answer.toString(StandardCharsets.UTF_8);
    }
  }

  private static boolean complete(String answer) {
    int headEnd = answer.indexOf("\r\n\r\n");
    Matcher length = LENGTH.matcher(answer);
    return headEnd >= 0
        && length.find()
        && answer.length() - headEnd - 4 >= Integer.parseInt(length.group(1));
  }
}
