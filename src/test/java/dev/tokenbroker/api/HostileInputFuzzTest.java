package dev.tokenbroker.api;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tokenbroker.support.Api;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.config.EncoderConfig;
import io.restassured.config.RestAssuredConfig;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.sessions.JqwikSession;
import org.junit.jupiter.api.Test;

/**
 * Hostile paths, query strings, headers and bodies, generated with jqwik from a fixed seed, against
 * every endpoint of DESIGN §4 (issue 13): never a 5xx, every error problem+json with a {@code
 * code}, the service still ready, and no metric series per hostile path. Run another seed with
 * {@code -Dfuzz.seed=<n>} and more cases with {@code -Dfuzz.cases=<n>}; a failure names its seed.
 */
@QuarkusTest
class HostileInputFuzzTest {

  private static final long SEED = Long.getLong("fuzz.seed", 20261202L);
  private static final int CASES = Integer.getInteger("fuzz.cases", 500);

  /** Values an attacker on the internal network would try, and plain random text. */
  private static final Arbitrary<String> HOSTILE =
      Arbitraries.frequencyOf(
          net.jqwik.api.Tuple.of(3, Arbitraries.strings().all().ofMaxLength(300)),
          net.jqwik.api.Tuple.of(
              3,
              Arbitraries.strings()
                  .withChars("\u0000\u0001\u001f\u007f\u0085\u2028'\"%;\\/<>{}[]?#&=+ .:*")
                  .withCharRange('a', 'f')
                  .ofMaxLength(40)),
          net.jqwik.api.Tuple.of(
              2,
              Arbitraries.of(
                  "",
                  " ",
                  "%00",
                  "a\u0000b",
                  "..",
                  "../../etc/passwd",
                  "+999999999-12-31T23:59:59Z",
                  "-999999999-01-01T00:00:00Z",
                  "1970-01-01T00:00:00Z",
                  "-1",
                  "0",
                  "2147483648",
                  "99999999999999999999",
                  "1e309",
                  "NaN",
                  "null",
                  "true",
                  "[]",
                  "{}",
                  "grt_aaaaaaaaaaaaaaaaaaaa",
                  "clr_aaaaaaaaaaaaaaaaaaaa",
                  "\uD800",
                  "\uD83D\uDCA5",
                  "' or 1=1 --",
                  "${jndi:ldap://x}")),
          net.jqwik.api.Tuple.of(
              1, Arbitraries.strings().alpha().ofMinLength(300).ofMaxLength(5000)));

  /** JSON-ish bodies: malformed, duplicated keys, deep nesting, wrong types, huge numbers. */
  private static final Arbitrary<String> HOSTILE_JSON =
      Arbitraries.oneOf(
          HOSTILE,
          Arbitraries.integers().between(1, 5000).map(n -> "[".repeat(n) + "]".repeat(n)),
          Arbitraries.integers()
              .between(1, 200)
              .map(n -> "{\"a\":".repeat(n) + "1" + "}".repeat(n)),
          HOSTILE.map(v -> "{\"subject\":\"a\",\"subject\":" + quote(v) + "}"),
          HOSTILE.map(v -> "{\"provider_id\":" + quote(v) + ",\"min_validity_seconds\":" + v + "}"),
          HOSTILE.map(v -> "{\"preset\":" + quote(v) + ",\"scopes\":[" + quote(v) + "]}"),
          Arbitraries.of(
              "{\"min_validity_seconds\": 1e400}",
              "{\"min_validity_seconds\": -5}",
              "{\"min_validity_seconds\": 99999999999}",
              "{\"scopes\": \"not-a-list\"}",
              "{\"subject\": {\"nested\": true}}",
              "{\"refresh_token_reuse_grace_seconds\": -1}",
              "\u0000",
              "{",
              "{}}"));

  private final Random random = new Random(SEED);

  /** One request shape per endpoint of DESIGN §4, filled with generated values. */
  private final List<Function<RequestSpecification, Response>> endpoints =
      List.of(
          r -> r.get("/v1/providers/" + segment()),
          r -> r.delete("/v1/providers/" + segment() + "?cascade=" + encoded()),
          r -> r.body(body()).put("/v1/providers/" + segment()),
          r -> r.body(providerBody()).put("/v1/providers/fuzz-" + random.nextInt(20)),
          r -> r.get("/v1/providers?limit=" + encoded()),
          r -> r.body(body()).post("/v1/providers/" + segment() + "/grants"),
          r -> r.body(grantImport()).post("/v1/providers/fuzz-target/grants"),
          r -> r.body(body()).post("/v1/providers/" + segment() + "/authorizations"),
          r -> r.body(authorization()).post("/v1/providers/fuzz-target/authorizations"),
          r -> r.body(body()).post("/v1/providers/" + segment() + "/test"),
          r ->
              r.get(
                  "/v1/grants?provider_id="
                      + encoded()
                      + "&subject="
                      + encoded()
                      + "&status="
                      + encoded()
                      + "&limit="
                      + encoded()
                      + "&cursor="
                      + encoded()),
          r -> r.get("/v1/grants/" + segment()),
          r -> r.delete("/v1/grants/" + segment()),
          r -> r.post("/v1/grants/" + segment() + "/refresh"),
          r -> r.body(body()).post("/v1/tokens"),
          r -> r.body(tokenRequest()).post("/v1/tokens"),
          r ->
              r.get(
                  "/v1/audit-events?since="
                      + encoded()
                      + "&until="
                      + encoded()
                      + "&limit="
                      + encoded()
                      + "&cursor="
                      + encoded()
                      + "&action="
                      + encoded()
                      + "&actor="
                      + encoded()
                      + "&outcome="
                      + encoded()
                      + "&provider_id="
                      + encoded()
                      + "&grant_id="
                      + encoded()),
          r -> r.get("/v1/callers/" + segment()),
          r -> r.delete("/v1/callers/" + segment()),
          r -> r.post("/v1/callers/" + segment() + "/api-keys"),
          r -> r.delete("/v1/callers/" + segment() + "/api-keys/" + segment()),
          r -> r.body(body()).post("/v1/callers"),
          r -> r.body(callerBody()).post("/v1/callers"),
          r -> r.body(body()).post("/v1/admin/crypto/rewrap"),
          r -> r.get("/v1/admin/crypto"),
          r -> r.header("X-Request-Id", ascii()).body(tokenRequest()).post("/v1/tokens"),
          r -> r.contentType(ascii()).body(body()).post("/v1/tokens"),
          r -> r.body(body()).patch("/v1/providers/" + segment()),
          r -> r.get("/v1/" + segment() + "/" + segment()),
          r -> r.get("/v1/tokens?" + encoded() + "=" + encoded()));

  @Test
  void hostileRequestsNeverCause5xxAndEveryErrorIsProblemJson() {
    Api.admin()
        .body(
            Map.of(
                "preset", "generic",
                "grant_type", "authorization_code",
                "authorization_url", "https://idp.example.test/authorize",
                "token_url", "https://idp.example.test/token",
                "client_id", "fuzz",
                "client_secret", "fuzz-client-secret-value",
                "scopes", List.of("openid")))
        .put("/v1/providers/fuzz-target")
        .then()
        .statusCode(org.hamcrest.Matchers.oneOf(200, 201));
    String consumer = Api.consumer(Api.unique("fuzz"), "fuzz-target", List.of("*"));
    List<String> failures = new ArrayList<>();
    Map<Integer, Integer> statuses = new java.util.TreeMap<>();
    JqwikSession.start(String.valueOf(SEED));
    try {
      fuzz(consumer, failures, statuses);
    } finally {
      JqwikSession.finish();
    }
    int sent = statuses.values().stream().mapToInt(Integer::intValue).sum();
    System.out.printf(
        "Fuzz seed %d: %d of %d cases sent, answers %s%n", SEED, sent, CASES, statuses);
    assertEquals(List.of(), failures, "seed " + SEED + " (rerun with -Dfuzz.seed=" + SEED + ")");
    assertTrue(sent > CASES * 9 / 10, "most generated requests reach the broker: " + sent);
    assertTrue(
        statuses.keySet().stream().filter(s -> s >= 400).count() >= 3,
        "hostile input meets several kinds of refusal: " + statuses);
    dev.tokenbroker.support.Api.management().get("/q/health/ready").then().statusCode(200);
  }

  private void fuzz(String consumer, List<String> failures, Map<Integer, Integer> statuses) {
    for (int i = 0; i < CASES && failures.size() < 10; i++) {
      int which = random.nextInt(endpoints.size());
      String key = random.nextInt(4) == 0 ? consumer : Api.ADMIN_KEY;
      Response response;
      try {
        response = endpoints.get(which).apply(request(key));
      } catch (RuntimeException clientSide) {
        // REST Assured refused to send it (an unencodable URI): nothing reached the broker
        continue;
      }
      statuses.merge(response.statusCode(), 1, Integer::sum);
      String problem = problemIssue(response);
      if (problem != null) {
        failures.add("case " + i + " (endpoint " + which + "): " + problem);
      }
    }
  }

  @Test
  void hostilePathsAndMethodsAddNoMetricSeries() {
    for (int i = 0; i < 30; i++) {
      junkRequest(i);
    }
    long before = httpSeries();
    for (int i = 30; i < 530; i++) {
      junkRequest(i);
    }
    assertEquals(before, httpSeries(), "http_server_requests series after 500 junk paths");
  }

  private void junkRequest(int i) {
    RequestSpecification r = request(Api.ADMIN_KEY);
    switch (i % 5) {
      case 0 -> r.get("/v1/junk-" + i);
      case 1 -> r.body("{}").post("/v1/providers/p/x/junk-" + i);
      case 2 -> r.request("FUZZ" + i, "/v1/tokens");
      case 3 -> r.delete("/v1/grants/junk-" + i + "/x");
      default -> r.get("/v1/providers/bad%00id-" + i);
    }
  }

  private static long httpSeries() {
    return dev.tokenbroker.support.Api.management()
        .get("/q/metrics")
        .asString()
        .lines()
        .filter(l -> l.startsWith("http_server_requests_seconds"))
        .count();
  }

  /** What is wrong with a response, or null. */
  private static String problemIssue(Response response) {
    int status = response.statusCode();
    if (status >= 500) {
      return status + " " + abbreviated(response.asString());
    }
    if (status < 400) {
      return null;
    }
    String type = response.contentType();
    if (type == null || !type.startsWith(Problem.MEDIA_TYPE)) {
      return status + " without problem+json (" + type + ")";
    }
    String code = response.path("code");
    return code == null || code.isBlank() ? status + " problem without a code" : null;
  }

  private static String abbreviated(String body) {
    return body.length() > 200 ? body.substring(0, 200) + "..." : body;
  }

  private RequestSpecification request(String key) {
    return given()
        .config(
            RestAssuredConfig.config()
                .encoderConfig(
                    EncoderConfig.encoderConfig()
                        .appendDefaultContentCharsetToContentTypeIfUndefined(false)))
        .urlEncodingEnabled(false)
        .header("Authorization", "Bearer " + key)
        .contentType(ContentType.JSON);
  }

  private String value() {
    return HOSTILE.sample();
  }

  /** A generated value percent-encoded for a query string (REST Assured's encoder is not used). */
  private String encoded() {
    return java.net.URLEncoder.encode(value(), java.nio.charset.StandardCharsets.UTF_8);
  }

  /** A generated value as one path segment, percent-encoded, so "/" stays inside it. */
  private String segment() {
    return encoded().replace("+", "%20");
  }

  /** A generated value reduced to what an HTTP header can carry. */
  private String ascii() {
    return value().replaceAll("[^\\x20-\\x7e]", "");
  }

  private String body() {
    return HOSTILE_JSON.sample();
  }

  private Map<String, Object> providerBody() {
    Map<String, Object> body = new HashMap<>(Api.genericProvider());
    String field =
        List.of(
                "client_id",
                "token_url",
                "display_name",
                "redirect_uri",
                "base_url",
                "min_token_request_interval_seconds",
                "refresh_ahead_ratio",
                "keep_alive_seconds",
                "refresh_token_reuse_grace_seconds",
                "scopes")
            .get(random.nextInt(10));
    body.put(field, random.nextBoolean() ? value() : random.nextLong());
    return body;
  }

  private Map<String, Object> grantImport() {
    Map<String, Object> body = new HashMap<>();
    body.put("subject", value());
    body.put("refresh_token", value());
    body.put("scopes", List.of(value()));
    if (random.nextBoolean()) {
      body.put("access_token", value());
      body.put("expires_in", random.nextBoolean() ? value() : random.nextLong());
    }
    return body;
  }

  private Map<String, Object> authorization() {
    return Map.of("subject", value(), "scopes", List.of(value()), "return_url", value());
  }

  private Map<String, Object> tokenRequest() {
    Map<String, Object> body = new HashMap<>();
    body.put("provider_id", random.nextBoolean() ? "fuzz-target" : value());
    body.put("subject", value());
    body.put("scopes", List.of(value()));
    body.put("min_validity_seconds", random.nextBoolean() ? random.nextLong() : value());
    return body;
  }

  private Map<String, Object> callerBody() {
    return Map.of(
        "name",
        value(),
        "role",
        random.nextBoolean() ? "consumer" : value(),
        "allow",
        List.of(Map.of("provider_id", value(), "subjects", List.of(value()), "scopes", List.of())));
  }

  private static String quote(String value) {
    StringBuilder json = new StringBuilder("\"");
    for (char c : value.toCharArray()) {
      if (c == '"' || c == '\\') {
        json.append('\\').append(c);
      } else if (c < 0x20) {
        json.append(String.format("\\u%04x", (int) c));
      } else {
        json.append(c);
      }
    }
    return json.append('"').toString();
  }
}
