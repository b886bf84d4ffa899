package dev.tokenbroker.token;

import static dev.tokenbroker.support.Api.as;
import static dev.tokenbroker.support.Api.unique;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tokenbroker.simulator.InjectSimulator;
import dev.tokenbroker.simulator.ProviderSimulator;
import dev.tokenbroker.support.Api;
import dev.tokenbroker.support.Concurrently;
import dev.tokenbroker.support.Flows;
import dev.tokenbroker.support.PostgresSimulatorProfile;
import dev.tokenbroker.support.SecretLeakGuard;
import dev.tokenbroker.support.SettableClock;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code rejected_access_token} on {@code POST /v1/tokens} (issue 16 §3): a token that the resource
 * server refused before its expiry is replaced by one shared refresh, at most once per grant per
 * {@code broker.refresh.rejected-token-min-interval} (10 s by default; the tests move the broker's
 * clock past it), however many callers report it.
 */
@QuarkusTest
@ExtendWith(SecretLeakGuard.class)
@TestProfile(PostgresSimulatorProfile.class)
class RejectedTokenRefreshTest {

  @InjectSimulator ProviderSimulator sim;

  @Inject Clock clock;

  @ConfigProperty(name = "broker.refresh.rejected-token-min-interval")
  Duration minInterval;

  private String provider;
  private String consumer;

  @BeforeEach
  void setUp() {
    sim.reset();
    provider = unique("rejected");
    Flows.registerCodeProvider(provider, sim, Map.of());
    consumer = Api.consumer(unique("app"), provider, List.of("*"));
  }

  @AfterEach
  void rewindClock() {
    ((SettableClock) clock).rewind();
  }

  @Test
  void aTokenRevokedEarlyIsReplacedByOneSharedRefresh() throws Exception {
    Flows.importGrant(provider, "learner", sim.issueRefreshTokenFor("r:profile"));
    String first = tokenRequest(null).path("access_token");
    int refreshesBefore = sim.tokenCalls("refresh_token");
    sim.revokeAccessToken(first);
    assertFalse(sim.accessTokenActive(first));
    sim.latency(300);
    ((SettableClock) clock).advance(minInterval.plusMillis(1)); // older than the minimum interval

    List<Response> reports = Concurrently.run(50, () -> tokenRequest(first));
    Set<String> tokens = new HashSet<>();
    for (Response r : reports) {
      assertEquals(200, r.statusCode(), r.asString());
      tokens.add(r.path("access_token"));
    }
    assertEquals(1, tokens.size(), "every reporter got the one new token");
    String second = tokens.iterator().next();
    assertNotEquals(first, second);
    assertTrue(sim.accessTokenActive(second));
    assertEquals(refreshesBefore + 1, sim.tokenCalls("refresh_token"));

    // a late report of the old token gets the current one, without another refresh
    assertEquals(second, tokenRequest(first).path("access_token"));
    assertEquals(refreshesBefore + 1, sim.tokenCalls("refresh_token"));
    assertEquals(0, sim.reuseDetections());
  }

  @Test
  void aTokenIssuedWithinTheMinimumIntervalIsNotRefreshedAgain() {
    Flows.importGrant(provider, "hasty", sim.issueRefreshTokenFor("r:profile"));
    // the import refreshed at once: the current token is seconds old
    String current = tokenRequest(null, "hasty").path("access_token");
    int refreshes = sim.tokenCalls("refresh_token");
    for (int i = 0; i < 5; i++) {
      Response r = tokenRequest(current, "hasty");
      assertEquals(200, r.statusCode(), r.asString());
      assertEquals(current, r.path("access_token"));
    }
    assertEquals(
        refreshes, sim.tokenCalls("refresh_token"), "no refresh inside the minimum interval");
  }

  @Test
  void aRejectedTokenIsValidatedLikeAnyField() {
    Flows.importGrant(provider, "learner", sim.issueRefreshTokenFor("r:profile"));
    Map<String, Object> body = new HashMap<>(Map.of("provider_id", provider, "subject", "learner"));
    body.put("rejected_access_token", "");
    Response empty = as(consumer).body(body).post("/v1/tokens");
    assertEquals(400, empty.statusCode());
    assertEquals("invalid_request", empty.path("code"));
  }

  private Response tokenRequest(String rejected) {
    return tokenRequest(rejected, "learner");
  }

  private Response tokenRequest(String rejected, String subject) {
    Map<String, Object> body = new HashMap<>(Map.of("provider_id", provider, "subject", subject));
    if (rejected != null) {
      body.put("rejected_access_token", rejected);
    }
    return as(consumer).body(body).post("/v1/tokens");
  }
}
