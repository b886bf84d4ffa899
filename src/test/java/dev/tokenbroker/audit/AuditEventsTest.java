package dev.tokenbroker.audit;

import static dev.tokenbroker.support.Api.admin;
import static dev.tokenbroker.support.Api.as;
import static dev.tokenbroker.support.Api.unique;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tokenbroker.db.Database;
import dev.tokenbroker.simulator.InjectSimulator;
import dev.tokenbroker.simulator.ProviderSimulator;
import dev.tokenbroker.support.Api;
import dev.tokenbroker.support.AuditTrail;
import dev.tokenbroker.support.Flows;
import dev.tokenbroker.support.SecretLeakGuard;
import dev.tokenbroker.support.SimulatorProfile;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Every issuance, authorization, refresh, revocation and admin change lands in the trail. */
@QuarkusTest
@ExtendWith(SecretLeakGuard.class)
@TestProfile(SimulatorProfile.class)
class AuditEventsTest {

  @InjectSimulator ProviderSimulator sim;
  @Inject AuditLog audit;
  @Inject Database db;

  @Test
  void theTrailRecordsWhoDidWhatWithWhichOutcomeAndNoSecret() {
    sim.reset();
    String provider = unique("audited");
    Flows.registerCodeProvider(provider, sim, Map.of());
    String consumerKey = Api.consumer(unique("svc"), provider, List.of("*"));
    String consumerId = consumerAllowedAt(provider);
    String location = Flows.authorize(provider, Api.ADMIN_KEY, "audit-user", List.of("r:profile"));
    String grantId = Flows.queryParam(location, "grant_id");
    as(consumerKey)
        .body(Map.of("provider_id", provider, "subject", "audit-user"))
        .post("/v1/tokens")
        .then()
        .statusCode(200);
    as(consumerKey)
        .body(Map.of("provider_id", provider, "subject", "nobody"))
        .post("/v1/tokens")
        .then()
        .statusCode(404);
    admin().post("/v1/grants/" + grantId + "/refresh").then().statusCode(200);
    admin().delete("/v1/grants/" + grantId).then().statusCode(204);

    List<Map<String, Object>> events = awaitEvents(provider, 7);
    Map<String, Object> issued = only(events, "token.issued", "success");
    assertEquals(consumerId, issued.get("actor"));
    assertEquals(grantId, issued.get("grant_id"));
    assertEquals("audit-user", issued.get("subject"));
    assertEquals(consumerId, only(events, "token.issued", "grant_not_found").get("actor"));
    Map<String, Object> completed = only(events, "authorization.completed", "connected");
    assertEquals("bootstrap-admin", completed.get("actor"), "the caller who started it");
    only(events, "authorization.started", "success");
    only(events, "provider.created", "success");
    assertEquals("bootstrap-admin", only(events, "grant.refreshed", "success").get("actor"));
    assertEquals("revoked upstream", only(events, "grant.deleted", "success").get("detail"));
    for (Map<String, Object> event : events) {
      assertTrue(event.get("request_id") != null, "request id on " + event);
    }

    String all = admin().get("/v1/audit-events?limit=500").asString();
    for (String secret : sim.issuedSecrets()) {
      assertFalse(all.contains(secret), "a token or code is in the audit trail");
    }
    assertFalse(all.contains(sim.clientSecret()));
    assertFalse(all.contains(consumerKey));
    assertFalse(all.contains(Api.ADMIN_KEY));
  }

  @Test
  void filtersAndCursorWalkTheTrailNewestFirst() {
    String provider = unique("paged");
    Flows.registerCodeProvider(provider, sim, Map.of());
    for (int i = 0; i < 4; i++) {
      admin()
          .body(Map.of("provider_id", provider, "subject", "ghost-" + i))
          .post("/v1/tokens")
          .then()
          .statusCode(404);
    }
    awaitEvents(provider, 5);
    Set<String> seen = new HashSet<>();
    Instant previous = Instant.MAX;
    String cursor = null;
    int pages = 0;
    do {
      JsonPath page =
          JsonPath.from(
              admin()
                  .get(
                      "/v1/audit-events?provider_id="
                          + provider
                          + "&action=token.issued&limit=2"
                          + (cursor == null ? "" : "&cursor=" + cursor))
                  .then()
                  .statusCode(200)
                  .extract()
                  .asString());
      for (Map<String, Object> event : page.<Map<String, Object>>getList("items")) {
        assertEquals("token.issued", event.get("action"));
        assertTrue(seen.add((String) event.get("id")), "no duplicates across pages");
        Instant at = Instant.parse((String) event.get("occurred_at"));
        assertFalse(at.isAfter(previous), "newest first");
        previous = at;
      }
      cursor = page.getString("next_cursor");
      pages++;
    } while (cursor != null);
    assertEquals(4, seen.size());
    assertEquals(2, pages);

    admin()
        .get("/v1/audit-events?since=yesterday")
        .then()
        .statusCode(400)
        .body("invalid_params[0].name", equalTo("since"));
    admin()
        .get("/v1/audit-events?cursor=not-a-cursor")
        .then()
        .statusCode(400)
        .body("invalid_params[0].name", equalTo("cursor"));
    String consumer = Api.consumer(unique("nosy"), provider, List.of("*"));
    as(consumer).get("/v1/audit-events").then().statusCode(403).body("code", equalTo("forbidden"));
  }

  @Test
  void anEventRecordedInATransactionThatRollsBackIsNeverWritten() {
    String rolledBack = unique("rolled-back");
    String committed = unique("committed");
    try {
      QuarkusTransaction.requiringNew()
          .run(
              () -> {
                audit.record(
                    AuditEvent.success(AuditActions.PROVIDER_CREATED).provider(rolledBack));
                throw new IllegalStateException("the change failed");
              });
    } catch (IllegalStateException expected) {
      // rolled back
    }
    QuarkusTransaction.requiringNew()
        .run(
            () ->
                audit.record(
                    AuditEvent.success(AuditActions.PROVIDER_CREATED).provider(committed)));
    audit.flush();
    awaitEvents(committed, 1);
    assertEquals(
        0,
        JsonPath.from(admin().get("/v1/audit-events?provider_id=" + rolledBack).asString())
            .getList("items")
            .size());
  }

  @Test
  void tokensServedFromMemoryOnTheEventLoopCarryTheirRequestIdAndCaller() {
    sim.reset();
    String provider = unique("memory");
    Flows.registerCodeProvider(provider, sim, Map.of());
    String consumerKey = Api.consumer(unique("svc"), provider, List.of("*"));
    String consumerId = consumerAllowedAt(provider);
    Flows.authorize(provider, Api.ADMIN_KEY, "cached-user", List.of("r:profile"));
    List<String> requestIds = List.of("first-token-request", "second-token-request");
    for (String requestId : requestIds) {
      as(consumerKey)
          .header("X-Request-Id", requestId)
          .body(Map.of("provider_id", provider, "subject", "cached-user"))
          .post("/v1/tokens")
          .then()
          .statusCode(200)
          .header("X-Request-Id", requestId);
    }
    assertEquals(0, sim.tokenCalls("refresh_token"), "both served from the cached grant");

    List<Map<String, Object>> issued =
        AuditTrail.await("action=token.issued&provider_id=" + provider, requestIds.size());
    assertEquals(
        Set.copyOf(requestIds),
        issued.stream().map(e -> e.get("request_id")).collect(Collectors.toSet()));
    for (Map<String, Object> event : issued) {
      assertEquals(consumerId, event.get("actor"), "caller of " + event);
      assertEquals("success", event.get("outcome"));
    }
  }

  /** The id of the caller whose first allow rule names the provider. */
  private static String consumerAllowedAt(String provider) {
    return JsonPath.from(admin().get("/v1/callers").asString())
        .getString("items.find { it.allow[0]?.provider_id == '" + provider + "' }.id");
  }

  private static List<Map<String, Object>> awaitEvents(String provider, int atLeast) {
    List<Map<String, Object>> items =
        AuditTrail.await("limit=500&provider_id=" + provider, atLeast);
    assertTrue(items.size() >= atLeast, "events so far: " + items);
    return new ArrayList<>(items);
  }

  private static Map<String, Object> only(
      List<Map<String, Object>> events, String action, String outcome) {
    List<Map<String, Object>> matching =
        events.stream()
            .filter(e -> action.equals(e.get("action")) && outcome.equals(e.get("outcome")))
            .toList();
    assertEquals(1, matching.size(), action + "/" + outcome + " in " + events);
    return matching.get(0);
  }
}
