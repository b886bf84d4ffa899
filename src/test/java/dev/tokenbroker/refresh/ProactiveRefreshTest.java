package dev.tokenbroker.refresh;

import static dev.tokenbroker.support.Api.admin;
import static dev.tokenbroker.support.Api.unique;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tokenbroker.simulator.ProviderSimulator;
import dev.tokenbroker.support.Flows;
import dev.tokenbroker.support.PostgresSimulatorProfile;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Grants stay fresh with no caller traffic; failures back off; invalid_grant stops retries. */
@QuarkusTest
@TestProfile(ProactiveRefreshTest.Proactive.class)
class ProactiveRefreshTest {

  /** PostgreSQL, the simulator, and the scheduler looking every second. */
  public static class Proactive extends PostgresSimulatorProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      Map<String, String> config = new HashMap<>(super.getConfigOverrides());
      config.put("broker.refresh.proactive.enabled", "true");
      config.put("broker.refresh.proactive.scan-interval", "1s");
      config.put("broker.metrics.refresh-interval", "1s");
      return config;
    }
  }

  /** Each test's own simulator: what another test's grants still do is not counted here. */
  private ProviderSimulator sim;

  private final List<String> providers = new java.util.ArrayList<>();

  @BeforeEach
  void ownSimulator() {
    sim = new ProviderSimulator();
  }

  @AfterEach
  void deleteProviders() {
    providers.forEach(
        p -> admin().delete("/v1/providers/" + p + "?cascade=true").then().statusCode(204));
    sim.close();
  }

  @Test
  void grantsStayFreshWithoutCallersAndNoRefreshTokenIsReused() throws Exception {
    int grants = 20;
    String provider = providerWithGrants("fresh", 6, grants);
    String dead = importGrant(provider, "dead", "rt-not-known-upstream");

    Thread.sleep(14_000);

    int refreshes = sim.tokenCalls("refresh_token");
    assertTrue(refreshes >= grants * 2 + 1, "refreshes: " + refreshes);
    assertTrue(refreshes <= grants * 4 + 1, "more refreshes than cycles: " + refreshes);
    assertEquals(0, sim.reuseDetections());
    List<Map<String, Object>> items =
        admin().get("/v1/grants?limit=200&provider_id=" + provider).then().extract().path("items");
    Instant now = Instant.now();
    for (Map<String, Object> grant : items) {
      if (grant.get("id").equals(dead)) {
        assertEquals("reauthorization_required", grant.get("status"));
        continue;
      }
      assertEquals("active", grant.get("status"));
      Instant expires = Instant.parse((String) grant.get("access_token_expires_at"));
      assertTrue(expires.isAfter(now), grant.get("subject") + " expired at " + expires);
      assertTrue(Instant.parse((String) grant.get("next_refresh_at")).isAfter(now.minusSeconds(3)));
    }
  }

  @Test
  void transientFailuresBackOffInsteadOfHammeringTheProvider() throws Exception {
    String provider = unique("flaky");
    providers.add(provider);
    Flows.registerCodeProvider(provider, sim, Map.of());
    for (int i = 0; i < 20; i++) {
      sim.failNext(ProviderSimulator.Fault.status(503));
    }
    String grantId = importGrant(provider, "backoff", sim.issueRefreshTokenFor("r:profile"));
    Thread.sleep(4_000);
    int attempts = sim.tokenCalls("refresh_token");
    assertTrue(attempts >= 1 && attempts <= 2, "attempts in 4 s with 5 s+ backoff: " + attempts);
    Map<String, Object> grant = admin().get("/v1/grants/" + grantId).then().extract().path("");
    assertEquals("active", grant.get("status"), "a transient failure never loses the grant");
    assertEquals("upstream_unavailable", ((Map<?, ?>) grant.get("last_error")).get("code"));
  }

  @Test
  void refusedCredentialsStopProactiveCallsUntilTheProviderIsFixed() throws Exception {
    String provider = unique("refused");
    providers.add(provider);
    Flows.registerCodeProvider(provider, sim, Map.of("client_secret", "not-the-secret"));
    String grantId = importGrant(provider, "stuck", sim.issueRefreshTokenFor("r:profile"));
    // the simulator counts the call before the broker has recorded its answer: wait for both
    long deadline = System.currentTimeMillis() + 5_000;
    while ((sim.tokenCalls("refresh_token") == 0 || rejectedAt(provider) == null)
        && System.currentTimeMillis() < deadline) {
      Thread.sleep(100);
    }
    assertEquals(1, sim.tokenCalls("refresh_token"), "the scheduler tried once");
    assertNotNull(rejectedAt(provider), "the refusal is recorded on the provider");
    assertTrue(waitForGauge(provider), "the gauge shows the refusal");
    // a first failure's backoff would retry within 2.5-5 s; refused credentials are not sent again
    Thread.sleep(8_000);
    assertEquals(1, sim.tokenCalls("refresh_token"), "refused credentials were sent again");

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

  private static boolean waitForGauge(String provider) throws InterruptedException {
    String line = "broker_provider_credentials_rejected{provider=\"" + provider + "\"} 1.0";
    long deadline = System.currentTimeMillis() + 5_000;
    while (System.currentTimeMillis() < deadline) {
      if (dev.tokenbroker.support.Api.management().get("/q/metrics").asString().contains(line)) {
        return true;
      }
      Thread.sleep(500);
    }
    return false;
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
    long deadline = System.currentTimeMillis() + 20_000;
    while (sim.tokenCalls("refresh_token") < 24 && System.currentTimeMillis() < deadline) {
      Thread.sleep(100);
    }
    assertEquals(24, sim.tokenCalls("refresh_token"), "every imported grant was refreshed");
    assertEquals(3, sim.maxConcurrentRefreshes(), "three at once, never more");
    assertEquals(0, sim.reuseDetections());
  }

  /**
   * The issue's own case with real 60-second tokens and no callers, for 100 s: long enough for each
   * grant's import refresh and two refreshes at 70-75 % of a lifetime (by 91 s with the 1-s scan).
   */
  @Test
  void sixtySecondTokensStayFreshForOneHundredSecondsWithoutCallers() throws Exception {
    int grants = 10;
    String provider = providerWithGrants("sixty", 60, grants);
    Instant end = Instant.now().plusSeconds(100);
    while (Instant.now().isBefore(end)) {
      Thread.sleep(5_000);
      List<Map<String, Object>> items =
          admin().get("/v1/grants?limit=50&provider_id=" + provider).then().extract().path("items");
      Instant now = Instant.now();
      for (Map<String, Object> grant : items) {
        Object expires = grant.get("access_token_expires_at");
        if (expires != null) {
          assertTrue(
              Instant.parse((String) expires).isAfter(now),
              grant.get("subject") + " let its token expire at " + expires);
        }
      }
    }
    Map<String, List<Long>> refreshes = sim.refreshTimesByFamily();
    assertEquals(grants, refreshes.size());
    for (List<Long> times : refreshes.values()) {
      // imported grants refresh at once, then at 70-75 % of each 60-s lifetime
      assertTrue(times.size() >= 3, "refreshed " + times.size() + " times in 100 s");
      for (int i = 2; i < times.size(); i++) {
        long gap = times.get(i) - times.get(i - 1);
        assertTrue(gap >= 40_000 && gap <= 50_000, "refresh gap " + gap + " ms");
      }
    }
    assertEquals(0, sim.reuseDetections());
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
