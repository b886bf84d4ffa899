package dev.tokenbroker.token;

import static dev.tokenbroker.support.Api.admin;
import static dev.tokenbroker.support.Api.as;
import static dev.tokenbroker.support.Api.unique;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyLong;
import static org.mockito.ArgumentMatchers.anyString;

import dev.tokenbroker.db.Database;
import dev.tokenbroker.db.DatabaseException;
import dev.tokenbroker.grant.GrantSecrets;
import dev.tokenbroker.grant.GrantStore;
import dev.tokenbroker.refresh.lease.LeaseStore;
import dev.tokenbroker.simulator.InjectSimulator;
import dev.tokenbroker.simulator.ProviderSimulator;
import dev.tokenbroker.support.Api;
import dev.tokenbroker.support.Concurrently;
import dev.tokenbroker.support.Flows;
import dev.tokenbroker.support.PostgresSimulatorProfile;
import dev.tokenbroker.support.SecretLeakGuard;
import io.quarkus.scheduler.Scheduler;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.junit.mockito.InjectSpy;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.sql.SQLException;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.mockito.Mockito;

/** Concurrency, the memory-only hot path and a failing database write, on PostgreSQL. */
@QuarkusTest
@ExtendWith(SecretLeakGuard.class)
@TestProfile(PostgresSimulatorProfile.class)
class TokenConcurrencyTest {

  @InjectSimulator ProviderSimulator sim;
  @InjectSpy GrantStore store;
  @InjectSpy LeaseStore leases;
  @InjectSpy Database db;
  @InjectSpy GrantSecrets secrets;
  @Inject Scheduler scheduler;

  private String provider;
  private String consumer;

  @BeforeEach
  void setUp() {
    sim.reset();
    provider = unique("conc");
    Flows.registerCodeProvider(provider, sim, Map.of());
    consumer = Api.consumer(unique("app"), provider, List.of("*"));
  }

  @Test
  void twoHundredConcurrentCallersShareOneRefresh() throws Exception {
    String grantId = importGrant("crowd");
    sim.latency(300);
    List<Response> responses = Concurrently.run(200, () -> tokenRequest("crowd", 30));
    Set<String> tokens = new HashSet<>();
    for (Response r : responses) {
      assertEquals(200, r.statusCode(), r.asString());
      tokens.add(r.path("access_token"));
      assertEquals(grantId, r.path("grant_id"));
    }
    assertEquals(1, tokens.size(), "every caller got the one refreshed token");
    assertEquals(1, sim.tokenCalls("refresh_token"));
    assertEquals(1, sim.maxConcurrentRefreshes());
    assertEquals(0, sim.reuseDetections());
  }

  @Test
  void servingACachedTokenTouchesNeitherDatabaseNorCrypto() {
    importGrant("hot");
    tokenRequest("hot", 30);
    // the gauges' and the refresh scheduler's reads are not the hot path's
    scheduler.pause();
    try {
      Mockito.clearInvocations(store, leases, db, secrets);
      for (int i = 0; i < 50; i++) {
        assertEquals(200, tokenRequest("hot", 30).statusCode());
      }
      Mockito.verifyNoInteractions(store, leases, db, secrets);
    } finally {
      scheduler.resume();
    }
    assertEquals(1, sim.tokenCalls("refresh_token"));
  }

  @Test
  void whenStoringRefreshedTokensFailsTheRotatedTokenIsHeldAndNeverReused() throws Exception {
    String grantId = importGrant("flaky");
    Mockito.doThrow(
            new DatabaseException(
                "simulated database outage", new SQLException("Connection refused", "08001")))
        .when(leases)
        .storeRefreshed(anyString(), anyLong(), any());

    Response first = tokenRequest("flaky", 30);
    assertEquals(200, first.statusCode(), "the new token is served from memory");
    assertTrue(sim.accessTokenActive(first.path("access_token")));
    assertEquals(1, sim.tokenCalls("refresh_token"));
    admin().get("/v1/grants/" + grantId).then().body("last_refreshed_at", nullValue());

    // while the database refuses the write, this replica will not refresh with the old token
    admin()
        .post("/v1/grants/" + grantId + "/refresh")
        .then()
        .statusCode(503)
        .body("code", equalTo("upstream_unavailable"));
    assertEquals(1, sim.tokenCalls("refresh_token"));

    Mockito.doCallRealMethod().when(leases).storeRefreshed(anyString(), anyLong(), any());
    Awaitility.await("the held write is stored")
        .atMost(Duration.ofSeconds(10))
        .until(() -> admin().get("/v1/grants/" + grantId).path("last_refreshed_at") != null);
    admin()
        .post("/v1/grants/" + grantId + "/refresh")
        .then()
        .statusCode(200)
        .body("last_refreshed_at", notNullValue());
    assertEquals(2, sim.tokenCalls("refresh_token"));
    assertEquals(0, sim.reuseDetections(), "the rotated-away refresh token was reused");
    assertEquals(200, tokenRequest("flaky", 30).statusCode());
  }

  private String importGrant(String subject) {
    return Flows.importGrant(provider, subject, sim.issueRefreshTokenFor("r:profile"));
  }

  private Response tokenRequest(String subject, int minValidity) {
    return as(consumer)
        .body(
            Map.of(
                "provider_id", provider, "subject", subject, "min_validity_seconds", minValidity))
        .post("/v1/tokens");
  }
}
