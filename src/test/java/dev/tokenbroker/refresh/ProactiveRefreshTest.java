package dev.tokenbroker.refresh;

import static dev.tokenbroker.support.Api.admin;
import static dev.tokenbroker.support.Api.unique;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tokenbroker.simulator.ProviderSimulator;
import dev.tokenbroker.support.Api;
import dev.tokenbroker.support.Flows;
import dev.tokenbroker.support.PostgresSimulatorProfile;
import dev.tokenbroker.support.SettableClock;
import dev.tokenbroker.support.SettableClockProducer;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Grants stay fresh with no caller traffic; failures back off; invalid_client stops retries. The
 * broker and the simulators run on one settable clock that the tests move: minutes of token life
 * pass in seconds, and every step lets the scheduler (which still scans every second of real time)
 * refresh what came due before the next.
 */
@QuarkusTest
@TestProfile(ProactiveRefreshTest.Proactive.class)
class ProactiveRefreshTest {

  /** PostgreSQL, the simulator, a settable clock, and the scheduler looking every second. */
  public static class Proactive extends PostgresSimulatorProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      Map<String, String> config = new HashMap<>(super.getConfigOverrides());
      config.put("broker.refresh.proactive.enabled", "true");
      config.put("broker.refresh.proactive.scan-interval", "1s");
      config.put("broker.metrics.refresh-interval", "1s");
      config.put("test.clock.frozen", "true");
      return config;
    }

    @Override
    public Set<Class<?>> getEnabledAlternatives() {
      return Set.of(SettableClockProducer.class);
    }
  }

  @Inject Clock brokerClock;

  private SettableClock clock;

  /** Each test's own simulator: what another test's grants still do is not counted here. */
  private ProviderSimulator sim;

  private final List<ProviderSimulator> metronomes = new ArrayList<>();

  private final List<String> providers = new ArrayList<>();

  @BeforeEach
  void ownSimulator() {
    clock = (SettableClock) brokerClock;
    sim = new ProviderSimulator().clock(clock);
  }

  @AfterEach
  void deleteProviders() {
    providers.forEach(
        p -> admin().delete("/v1/providers/" + p + "?cascade=true").then().statusCode(204));
    sim.close();
    metronomes.forEach(ProviderSimulator::close);
  }

  @Test
  void grantsStayFreshWithoutCallersAndNoRefreshTokenIsReused() {
    int grants = 20;
    String provider = providerWithGrants("fresh", 6, grants);
    String dead = importGrant(provider, "dead", "rt-not-known-upstream");

    // import refresh at 0 s, then at 70-75 % of each 6-s lifetime: at 5 s and 10 s
    List<Map<String, Object>> items = List.of();
    for (int second = 0; second <= 14; second++) {
      items = settled(provider);
      assertNoTokenExpired(items);
      clock.advance(Duration.ofSeconds(1));
    }
    clock.advance(Duration.ofSeconds(-1));

    int refreshes = sim.tokenCalls("refresh_token");
    assertTrue(refreshes >= grants * 2 + 1, "refreshes: " + refreshes);
    assertTrue(refreshes <= grants * 4 + 1, "more refreshes than cycles: " + refreshes);
    assertEquals(0, sim.reuseDetections());
    Instant now = clock.instant();
    for (Map<String, Object> grant : items) {
      if (grant.get("id").equals(dead)) {
        assertEquals("reauthorization_required", grant.get("status"));
        continue;
      }
      assertEquals("active", grant.get("status"));
      assertTrue(Instant.parse((String) grant.get("next_refresh_at")).isAfter(now));
    }
  }

  @Test
  void transientFailuresBackOffInsteadOfHammeringTheProvider() {
    String metronome = metronome();
    String provider = unique("flaky");
    providers.add(provider);
    Flows.registerCodeProvider(provider, sim, Map.of());
    for (int i = 0; i < 20; i++) {
      sim.failNext(ProviderSimulator.Fault.status(503));
    }
    String grantId = importGrant(provider, "backoff", sim.issueRefreshTokenFor("r:profile"));

    // (5 s << failures so far) / 2 plus up to as much again, in whole seconds: 2-4 s, then 5-10 s
    Duration first = backoffAfterFailure(metronome, provider, grantId, 1);
    Duration second = backoffAfterFailure(metronome, provider, grantId, 2);

    assertTrue(inRange(first, 2_000, 4_000), "backoff after the first failure: " + first);
    assertTrue(inRange(second, 5_000, 10_000), "backoff after the second failure: " + second);
    Map<String, Object> grant = admin().get("/v1/grants/" + grantId).then().extract().path("");
    assertEquals("active", grant.get("status"), "a transient failure never loses the grant");
    assertEquals("upstream_unavailable", ((Map<?, ?>) grant.get("last_error")).get("code"));
  }

  /**
   * Waits for failed attempt number {@code attempt}, then moves the clock in 2-s steps, each seen
   * by a scheduler scan (the metronome's refresh), to the grant's retry time: no call is made
   * before it, and one at it. Returns the backoff: from the failure to the retry time.
   */
  private Duration backoffAfterFailure(
      String metronome, String provider, String grantId, int attempt) {
    settled(provider, metronome);
    assertEquals(attempt, sim.tokenCalls("refresh_token"), "attempts so far");
    Instant failedAt = lastErrorAt(grantId);
    Instant retry = Instant.parse(admin().get("/v1/grants/" + grantId).path("next_refresh_at"));
    while (clock.instant().plusSeconds(2).isBefore(retry)) {
      clock.advance(Duration.ofSeconds(2));
      settled(provider, metronome);
      assertEquals(attempt, sim.tokenCalls("refresh_token"), "a call before the backoff ended");
    }
    clock.advance(Duration.between(clock.instant(), retry));
    settled(provider, metronome);
    assertEquals(attempt + 1, sim.tokenCalls("refresh_token"), "no call when the backoff ended");
    return Duration.between(failedAt, retry);
  }

  private static boolean inRange(Duration duration, long minMillis, long maxMillis) {
    return duration.toMillis() >= minMillis && duration.toMillis() <= maxMillis;
  }

  private static Instant lastErrorAt(String grantId) {
    return Instant.parse(admin().get("/v1/grants/" + grantId).path("last_error.at"));
  }

  @Test
  void refusedCredentialsStopProactiveCallsUntilTheProviderIsFixed() throws Exception {
    String metronome = metronome();
    String provider = unique("refused");
    providers.add(provider);
    Flows.registerCodeProvider(provider, sim, Map.of("client_secret", "not-the-secret"));
    String grantId = importGrant(provider, "stuck", sim.issueRefreshTokenFor("r:profile"));
    // the simulator counts the call before the broker has recorded its answer: wait for both
    Awaitility.await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> sim.tokenCalls("refresh_token") > 0 && rejectedAt(provider) != null);
    assertEquals(1, sim.tokenCalls("refresh_token"), "the scheduler tried once");
    assertNotNull(rejectedAt(provider), "the refusal is recorded on the provider");
    awaitGauge(provider);

    // any backoff (2-4 s after a first failure, 10 min at most) ends within an hour
    for (long minutes : List.of(1, 4, 6, 49)) {
      clock.advance(Duration.ofMinutes(minutes));
      settled(null, metronome);
      assertEquals(1, sim.tokenCalls("refresh_token"), "refused credentials were sent again");
    }

    admin()
        .body(Flows.codeProvider(sim, Map.of()))
        .put("/v1/providers/" + provider)
        .then()
        .statusCode(200)
        .body("credentials_rejected_at", nullValue());
    admin().post("/v1/grants/" + grantId + "/refresh").then().statusCode(200);
    assertEquals(0, sim.reuseDetections());
  }

  private static Object rejectedAt(String provider) {
    return admin()
        .get("/v1/providers/" + provider)
        .then()
        .extract()
        .path("credentials_rejected_at");
  }

  private static void awaitGauge(String provider) {
    String line = "broker_provider_credentials_rejected{provider=\"" + provider + "\"} 1.0";
    Awaitility.await("the gauge shows the refusal")
        .atMost(Duration.ofSeconds(5))
        .until(() -> Api.management().get("/q/metrics").asString().contains(line));
  }

  @Test
  void aProvidersMaxConcurrentRefreshesBoundsTheCallsInFlight() throws Exception {
    // slow enough that the due grants pile up while the test still imports them
    sim.latency(600);
    String provider = unique("bounded");
    providers.add(provider);
    Flows.registerCodeProvider(provider, sim, Map.of("max_concurrent_refreshes", 3));
    for (int i = 0; i < 24; i++) {
      importGrant(provider, "bounded-" + i, sim.issueRefreshTokenFor("r:profile"));
    }
    Awaitility.await("every imported grant was refreshed")
        .atMost(Duration.ofSeconds(20))
        .until(() -> sim.tokenCalls("refresh_token") >= 24);
    assertEquals(24, sim.tokenCalls("refresh_token"), "each once");
    assertEquals(3, sim.maxConcurrentRefreshes(), "three at once, never more");
    assertEquals(0, sim.reuseDetections());
  }

  /**
   * The issue's own case with 60-second tokens and no callers, for 100 s of the clock in 2-s steps:
   * long enough for each grant's import refresh and two refreshes at 70-75 % of a lifetime.
   */
  @Test
  void sixtySecondTokensStayFreshForOneHundredSecondsWithoutCallers() {
    int grants = 10;
    String provider = providerWithGrants("sixty", 60, grants);
    for (int second = 0; second <= 100; second += 2) {
      assertNoTokenExpired(settled(provider));
      clock.advance(Duration.ofSeconds(2));
    }
    Map<String, List<Long>> refreshes = sim.refreshTimesByFamily();
    assertEquals(grants, refreshes.size());
    for (List<Long> times : refreshes.values()) {
      // imported grants refresh at once, then at 70-75 % of each 60-s lifetime (+ up to one step)
      assertTrue(times.size() >= 3, "refreshed " + times.size() + " times in 100 s");
      for (int i = 2; i < times.size(); i++) {
        long gap = times.get(i) - times.get(i - 1);
        assertTrue(gap >= 40_000 && gap <= 50_000, "refresh gap " + gap + " ms");
      }
    }
    assertEquals(0, sim.reuseDetections());
  }

  private void assertNoTokenExpired(List<Map<String, Object>> items) {
    Instant now = clock.instant();
    for (Map<String, Object> grant : items) {
      Object expires = grant.get("access_token_expires_at");
      if ("active".equals(grant.get("status")) && expires != null) {
        assertTrue(
            Instant.parse((String) expires).isAfter(now),
            grant.get("subject") + " let its token expire at " + expires + ", now " + now);
      }
    }
  }

  /**
   * Waits (in real time) until no active grant of {@code provider} is due at the clock's time, and
   * the {@code metronome} grants, when given, were refreshed at it: proof that the scheduler
   * scanned after the clock last moved. Returns the provider's grants.
   */
  private List<Map<String, Object>> settled(String provider, String... metronome) {
    Instant now = clock.instant();
    return Awaitility.await("the scheduler catches up with the clock at " + now)
        .atMost(Duration.ofSeconds(15))
        .pollInterval(Duration.ofMillis(20))
        .until(
            () -> provider == null ? List.<Map<String, Object>>of() : grantsOf(provider),
            items ->
                items.stream().noneMatch(grant -> due(grant, now))
                    && List.of(metronome).stream()
                        .flatMap(id -> grantsOf(id).stream())
                        .allMatch(grant -> refreshedAtOrAfter(grant, now)));
  }

  private static boolean due(Map<String, Object> grant, Instant now) {
    Object next = grant.get("next_refresh_at");
    return "active".equals(grant.get("status"))
        && next != null
        && !Instant.parse((String) next).isAfter(now);
  }

  private static boolean refreshedAtOrAfter(Map<String, Object> grant, Instant now) {
    Object last = grant.get("last_refreshed_at");
    return last != null && !Instant.parse((String) last).isBefore(now);
  }

  private static List<Map<String, Object>> grantsOf(String provider) {
    return admin()
        .get("/v1/grants?limit=200&provider_id=" + provider)
        .then()
        .extract()
        .path("items");
  }

  /**
   * A provider on its own simulator (so its calls are not counted with the test's) with one grant
   * whose 1-s tokens come due at every step of the clock: when it has been refreshed at the clock's
   * time, the scheduler has scanned since the clock moved.
   */
  private String metronome() {
    ProviderSimulator beat = new ProviderSimulator().clock(clock).accessTokenLifetime(1);
    metronomes.add(beat);
    String provider = unique("metronome");
    providers.add(provider);
    Flows.registerCodeProvider(provider, beat, Map.of());
    importGrant(provider, "beat", beat.issueRefreshTokenFor("r:profile"));
    return provider;
  }

  /** A fresh simulator issuing tokens of this lifetime, a provider on it, and imported grants. */
  private String providerWithGrants(String prefix, long lifetimeSeconds, int grants) {
    sim.accessTokenLifetime(lifetimeSeconds);
    String provider = unique(prefix);
    providers.add(provider);
    Flows.registerCodeProvider(provider, sim, Map.of());
    for (int i = 0; i < grants; i++) {
      importGrant(provider, prefix + "-" + i, sim.issueRefreshTokenFor("r:profile"));
    }
    return provider;
  }

  private static String importGrant(String provider, String subject, String refreshToken) {
    return admin()
        .body(Flows.grantImport(subject, refreshToken))
        .post("/v1/providers/" + provider + "/grants")
        .then()
        .statusCode(201)
        .extract()
        .path("id");
  }
}
