package dev.tokenbroker.proxy;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tokenbroker.simulator.InjectSimulator;
import dev.tokenbroker.simulator.ProviderSimulator;
import dev.tokenbroker.simulator.ResourceServer;
import dev.tokenbroker.support.SimulatorProfile;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The proxy's time limits against an upstream that is late: one that does not start its answer
 * within {@code broker.proxy.first-byte-timeout}, and one that stops writing in the middle of its
 * answer for longer than {@code broker.proxy.answer-timeout}.
 */
@QuarkusTest
@TestProfile(ProxyTimeLimitsTest.ShortLimits.class)
class ProxyTimeLimitsTest {

  /** The simulator with limits of a second and two. */
  public static class ShortLimits extends SimulatorProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      return Map.of("broker.proxy.first-byte-timeout", "1s", "broker.proxy.answer-timeout", "2s");
    }
  }

  private static final String ASSERTIONS = "/v2/backpack/assertions";

  @InjectSimulator ProviderSimulator sim;

  private ResourceServer api;
  private ProxiedApi proxied;
  private String app;

  @BeforeEach
  void setUp() {
    sim.reset();
    api = sim.resourceServer();
    proxied = new ProxiedApi(sim, "late");
    app = proxied.caller(List.of("GET"), List.of(ASSERTIONS));
  }

  @Test
  void anUpstreamThatDoesNotStartItsAnswerInTimeIs502() {
    api.answerAfter(4_000);
    RestAssured.given()
        .header("Authorization", "Bearer " + app)
        .header("Token-Broker-Subject", ProxiedApi.SUBJECT)
        .get("/v1/proxy/" + proxied.provider + ASSERTIONS)
        .then()
        .statusCode(502)
        .header("Token-Broker-Error", "true")
        .body("code", equalTo("upstream_unavailable"))
        .body("detail", containsString("broker.proxy.first-byte-timeout"));
    assertEquals(1, api.calls());
  }

  @Test
  void anAnswerThatStallsLongerThanTheAnswerTimeoutIsCut() throws Exception {
    api.answerBytes(1024);
    api.answerInChunks(3, 4_000);
    HttpResponse<InputStream> answer = proxied.streamed(app, ASSERTIONS);
    assertEquals(201, answer.statusCode(), "the answer had started");
    long started = System.nanoTime();
    long received = 0;
    boolean cut = false;
    try (InputStream body = answer.body()) {
      byte[] buffer = new byte[4096];
      for (int n = body.read(buffer); n >= 0; n = body.read(buffer)) {
        received += n;
      }
    } catch (IOException e) {
      cut = true;
    }
    long cutAfterMillis = (System.nanoTime() - started) / 1_000_000;
    assertTrue(cut, "the caller saw the answer end before its end; received " + received);
    assertTrue(received < 3 * 1024, "the stalled rest never came: " + received);
    assertTrue(
        cutAfterMillis < 3_500,
        "cut by the answer timeout, before the upstream's next piece 4 s in: " + cutAfterMillis);
  }
}
