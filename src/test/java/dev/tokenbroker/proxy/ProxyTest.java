package dev.tokenbroker.proxy;

import static dev.tokenbroker.support.Api.admin;
import static dev.tokenbroker.support.Api.as;
import static dev.tokenbroker.support.Api.unique;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tokenbroker.simulator.InjectSimulator;
import dev.tokenbroker.simulator.ProviderSimulator;
import dev.tokenbroker.simulator.ResourceServer;
import dev.tokenbroker.support.AuditTrail;
import dev.tokenbroker.support.Concurrently;
import dev.tokenbroker.support.ConnectionCounter;
import dev.tokenbroker.support.Flows;
import dev.tokenbroker.support.ScriptedResolver;
import dev.tokenbroker.support.SecretLeakGuard;
import dev.tokenbroker.support.SettableClock;
import dev.tokenbroker.support.SimulatorProfile;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The API proxy through the public API (DESIGN §6), against the simulator's resource server, which
 * checks the bearer token and records what reached it.
 */
@QuarkusTest
@ExtendWith(SecretLeakGuard.class)
@TestProfile(SimulatorProfile.class)
class ProxyTest {

  private static final String ASSERTIONS = "/v2/backpack/assertions";

  @Inject Clock brokerClock;

  @InjectSimulator ProviderSimulator sim;

  private ResourceServer api;
  private ProxiedApi proxied;
  private String provider;
  private String app;

  @BeforeEach
  void setUp() {
    sim.reset();
    api = sim.resourceServer();
    proxied = new ProxiedApi(sim, "proxied");
    provider = proxied.provider;
    app = caller(List.of("GET", "POST", "HEAD"), List.of(ASSERTIONS, ASSERTIONS + "/*"));
  }

  @AfterEach
  void rewindClock() {
    ((SettableClock) brokerClock).rewind();
  }

  @Test
  void methodPathQueryBodyAndEndToEndHeadersArriveButCredentialsAndCookiesNever() {
    Response answer =
        call(app)
            .header("Cookie", "caller_session=abc")
            .header("X-Custom", "kept")
            .header("Connection", "X-Hop")
            .header("X-Hop", "dropped")
            .header("X-Forwarded-For", "10.0.0.1")
            .contentType("application/json")
            .body("{\"badge\":\"b-1\"}")
            .post(path(ASSERTIONS + "?limit=2&q=a%20b"));
    assertEquals(201, answer.statusCode(), answer.asString());
    assertEquals("trace-1", answer.header("X-Upstream-Trace"), "end-to-end headers come back");
    assertEquals("application/json", answer.header("Content-Type"));
    assertEquals(null, answer.header("Set-Cookie"), "the upstream's cookie stays upstream");
    assertEquals(null, answer.header("Token-Broker-Error"), "an upstream answer is not marked");
    assertEquals("{\"path\":\"" + ASSERTIONS + "\",\"method\":\"POST\"}", answer.asString());

    ResourceServer.Received received = api.received().get(0);
    assertEquals("POST", received.method());
    assertEquals(ASSERTIONS, received.rawPath());
    assertEquals("limit=2&q=a%20b", received.rawQuery());
    assertEquals("{\"badge\":\"b-1\"}", received.body());
    assertEquals(List.of("kept"), received.headers().get("x-custom"));
    for (String never :
        List.of("cookie", "x-hop", "x-forwarded-for", "token-broker-subject", "x-request-id")) {
      assertFalse(received.headers().containsKey(never), never + " reached the upstream");
    }
    assertEquals(0, api.rejectedTokens(), "the grant's token was accepted");
    List<Map<String, Object>> audited =
        AuditTrail.await("action=proxy.called&provider_id=" + provider, 1);
    assertEquals(1, audited.size(), audited.toString());
    assertEquals("POST " + ASSERTIONS + " -> 201", audited.get(0).get("detail"));
    assertEquals("learner", audited.get(0).get("subject"));
    assertTrue(
        String.valueOf(audited.get(0).get("actor")).startsWith("clr_"),
        "the calling service is the actor: " + audited.get(0));
    assertEquals(
        List.of(),
        AuditTrail.await("action=token.issued&provider_id=" + provider, 0),
        "the token never left the broker, so it was not issued to anyone");
    String everything = answer.headers().toString() + answer.asString();
    for (String secret : sim.issuedSecrets()) {
      assertFalse(everything.contains(secret), "a token reached the caller");
    }
  }

  @Test
  void rulesNameMethodsAndPathsAndEverythingElseIsForbidden() {
    call(app).get(path(ASSERTIONS + "/a-1")).then().statusCode(201);
    call(app).head(path(ASSERTIONS)).then().statusCode(201);
    for (Response refused :
        List.of(
            call(app).delete(path(ASSERTIONS + "/a-1")),
            call(app).get(path("/v2/issuers")),
            call(app).get(path(ASSERTIONS + "/a-1/revoke")),
            call(caller(List.of(), List.of())).get(path(ASSERTIONS)),
            call(caller(List.of("GET"), List.of())).get(path(ASSERTIONS)))) {
      refused
          .then()
          .statusCode(403)
          .contentType("application/problem+json")
          .header("Token-Broker-Error", "true")
          .body("code", equalTo("forbidden"));
    }
    RestAssured.given()
        .header("Token-Broker-Subject", "learner")
        .get(path(ASSERTIONS))
        .then()
        .statusCode(401)
        .header("Token-Broker-Error", "true");
    assertEquals(2, api.calls(), "only the allowed calls reached the API");
  }

  @Test
  void pathsThatWouldLeaveTheApiBaseAreRefusedAndNeverSent() throws Exception {
    for (String hostile :
        List.of(
            "/v2/%2e%2e/admin",
            "/v2/%2E%2E/%2e%2e/admin",
            "/v2/backpack/..%2Fadmin",
            "/v2%2F..%2F..%2Fadmin",
            "/v2/%5c..%5cadmin",
            "//evil.example/x",
            "/http://evil.example/x",
            "/v2/backpack/../../admin",
            "/v2/./assertions",
            "/v2/%00/assertions")) {
      String answer = raw("GET /v1/proxy/" + provider + hostile);
      assertTrue(answer.startsWith("HTTP/1.1 400"), hostile + " -> " + answer);
      assertTrue(
          answer.toLowerCase(java.util.Locale.ROOT).contains("token-broker-error: true"),
          hostile + ": the broker's own answer is marked: " + answer);
    }
    assertEquals(0, api.calls(), "the API saw none of them");
    // refused by the HTTP codec before any route: a bare 400, but refused all the same
    for (String undecodable : List.of("/v2\\..\\admin", "/v2/%zz")) {
      String answer = raw("GET /v1/proxy/" + provider + undecodable);
      assertTrue(answer.startsWith("HTTP/1.1 400"), undecodable + " -> " + answer);
    }
    assertEquals(0, api.calls());
  }

  @Test
  void aRejectedTokenIsReplacedByOneRefreshFor30ConcurrentCalls() throws Exception {
    SettableClock clock = (SettableClock) brokerClock;
    String first =
        as(app)
            .body(Map.of("provider_id", provider, "subject", "learner"))
            .post("/v1/tokens")
            .then()
            .statusCode(200)
            .extract()
            .path("access_token");
    int refreshes = sim.tokenCalls("refresh_token");
    clock.advance(Duration.ofSeconds(11)); // past broker.refresh.rejected-token-min-interval
    sim.revokeAccessToken(first);

    List<Response> answers = Concurrently.run(30, () -> call(app).get(path(ASSERTIONS + "/a-1")));
    for (Response answer : answers) {
      assertEquals(201, answer.statusCode(), answer.asString());
    }
    assertEquals(refreshes + 1, sim.tokenCalls("refresh_token"), "one refresh for all");
    assertEquals(30, api.received().size());
    assertTrue(api.rejectedTokens() >= 1 && api.rejectedTokens() <= 30);
    assertEquals(0, sim.reuseDetections());
  }

  @Test
  void a429IsPassedThroughAndHoldsLaterCallsForTheProvider() {
    call(app).get(path(ASSERTIONS)).then().statusCode(201);
    api.answerTooManyRequests(30);
    call(app)
        .get(path(ASSERTIONS))
        .then()
        .statusCode(429)
        .header("Retry-After", "30")
        .header("Token-Broker-Error", nullValue())
        .body("error", equalTo("slow_down"));
    call(app)
        .get(path(ASSERTIONS))
        .then()
        .statusCode(429)
        .contentType("application/problem+json")
        .header("Token-Broker-Error", "true")
        .body("code", equalTo("rate_limited"));
    assertEquals(2, api.calls(), "the held call was not sent");
  }

  @Test
  void answersWithinTheSizeLimitComeBackWholeAndLargerOnesAre502() {
    api.answerBytes(2 * 1024 * 1024);
    Response large = call(app).get(path(ASSERTIONS));
    assertEquals(201, large.statusCode());
    assertEquals(2 * 1024 * 1024, large.asByteArray().length);
    api.answerBytes(11 * 1024 * 1024);
    call(app)
        .get(path(ASSERTIONS))
        .then()
        .statusCode(502)
        .header("Token-Broker-Error", "true")
        .body("code", equalTo("upstream_unavailable"));
  }

  @Test
  void aChunkedAnswerReachesTheCallerWhileTheUpstreamIsStillWriting() throws Exception {
    api.answerBytes(64 * 1024);
    api.answerInChunks(4, 300);
    HttpResponse<InputStream> answer = streamed(ASSERTIONS);
    assertEquals(201, answer.statusCode());
    try (InputStream body = answer.body()) {
      assertTrue(body.read() >= 0);
      long firstByteNanos = System.nanoTime();
      long length = 1 + body.transferTo(OutputStream.nullOutputStream());
      assertEquals(4 * 64 * 1024, length, "the whole answer came");
      assertTrue(
          firstByteNanos < api.lastChunkWrittenNanos(),
          "the first bytes were passed on before the upstream wrote its last chunk");
    }
  }

  @Test
  void aChunkedAnswerGrowingPastTheLimitIsCut() throws Exception {
    api.answerBytes(1024 * 1024);
    api.answerInChunks(11, 0);
    HttpResponse<InputStream> answer = streamed(ASSERTIONS);
    long received = 0;
    try (InputStream body = answer.body()) {
      byte[] buffer = new byte[64 * 1024];
      for (int n = body.read(buffer); n >= 0; n = body.read(buffer)) {
        received += n;
      }
    } catch (java.io.IOException cut) {
      // the connection was cut: what matters is how much came
    }
    assertTrue(received <= 10 * 1024 * 1024, "no more than the limit was passed on: " + received);
  }

  @Test
  void aCallerThatHangsUpMidAnswerCutsTheUpstreamsAnswer() throws Exception {
    api.answerBytes(1024 * 1024);
    api.answerInChunks(8, 100);
    HttpResponse<InputStream> answer = streamed(ASSERTIONS);
    try (InputStream body = answer.body()) {
      assertTrue(body.read(new byte[4096]) > 0, "the answer had started");
    }
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (api.answersCut() == 0 && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    assertEquals(1, api.answersCut(), "the upstream's connection was closed mid-answer");
  }

  @Test
  void aHostThatRebindsToARefusedAddressAfterItsCheckPassedGetsNoConnection() {
    String host = "proxy-rebind.test";
    try (ConnectionCounter listener = new ConnectionCounter()) {
      ScriptedResolver.answer(host, "127.0.0.1");
      String rebinding = unique("rebinding");
      Flows.registerCodeProvider(
          rebinding, sim, Map.of("api_base_url", "https://" + host + ":" + listener.port()));
      Flows.importGrant(rebinding, "learner", sim.issueRefreshTokenFor("r:profile"));
      provider = rebinding;
      String rebindingApp = caller(List.of("GET"), List.of(ASSERTIONS));
      // the listener speaks no TLS: the call fails, but its check passed and it connected
      call(rebindingApp).get(path(ASSERTIONS)).then().statusCode(502);
      assertTrue(listener.connections() >= 1, "the first call reached the allowed address");

      // the name now answers a refused address; the next call is prepared from memory (within
      // broker.upstream.hold-recheck of the first call's read), where the host's passed check
      // stands and no lookup is made: the gate refuses its connection, hence upstream_unavailable
      // rather than the check's url_not_allowed
      ScriptedResolver.answer(host, "127.0.0.2");
      listener.reset();
      call(rebindingApp)
          .get(path(ASSERTIONS))
          .then()
          .statusCode(502)
          .header("Token-Broker-Error", "true")
          .body("code", equalTo("upstream_unavailable"));
      assertEquals(0, listener.connections(), "nothing reached the rebound address");
    } finally {
      ScriptedResolver.forget(host);
    }
  }

  @Test
  void apiBaseUrlFollowsTheOutboundPolicyAndThePresets() {
    Map<String, Object> internal = Flows.codeProvider(sim, Map.of());
    internal.put("api_base_url", "https://169.254.169.254/latest");
    admin()
        .body(internal)
        .put("/v1/providers/" + unique("metadata"))
        .then()
        .statusCode(400)
        .body("code", equalTo("url_not_allowed"))
        .body("invalid_params[0].name", equalTo("api_base_url"));
    Map<String, Object> badgr = new HashMap<>();
    badgr.put("preset", "badgr");
    badgr.put("region", "test");
    badgr.put("client_id", "c");
    badgr.put("client_secret", "s");
    badgr.put("redirect_uri", "https://broker.example.test/v1/oauth/callback");
    admin()
        .body(badgr)
        .put("/v1/providers/" + unique("badgr"))
        .then()
        .statusCode(201)
        .body("api_base_url", equalTo("https://api.test.badgr.com"));
    RestAssured.given()
        .header("Authorization", "Bearer " + app)
        .header("Token-Broker-Subject", "nobody")
        .get(path(ASSERTIONS))
        .then()
        .statusCode(404)
        .header("Token-Broker-Error", "true")
        .body("code", equalTo("grant_not_found"));
  }

  /** GET through the proxy, the answer's body read as it arrives. */
  private HttpResponse<InputStream> streamed(String upstreamPath) throws Exception {
    return proxied.streamed(app, upstreamPath);
  }

  private String caller(List<String> methods, List<String> paths) {
    return ProxiedApi.caller(provider, methods, paths);
  }

  private io.restassured.specification.RequestSpecification call(String apiKey) {
    return RestAssured.given()
        .urlEncodingEnabled(false)
        .header("Authorization", "Bearer " + apiKey)
        .header("Token-Broker-Subject", "learner");
  }

  private String path(String upstreamPath) {
    return "/v1/proxy/" + provider + upstreamPath;
  }

  /** Sends a request line as written, no client normalising it, and returns the answer. */
  private String raw(String requestLine) throws Exception {
    try (Socket socket = new Socket("127.0.0.1", RestAssured.port)) {
      socket.setSoTimeout(10_000);
      OutputStream out = socket.getOutputStream();
      out.write(
          (requestLine
                  + " HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer "
                  + app
                  + "\r\nToken-Broker-Subject: learner\r\nConnection: close\r\n\r\n")
              .getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      InputStream in = socket.getInputStream();
      return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
    }
  }
}
