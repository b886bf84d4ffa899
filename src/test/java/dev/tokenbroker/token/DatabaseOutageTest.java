package dev.tokenbroker.token;

import static dev.tokenbroker.support.Api.admin;
import static dev.tokenbroker.support.Api.as;
import static dev.tokenbroker.support.Api.unique;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tokenbroker.simulator.InjectSimulator;
import dev.tokenbroker.simulator.ProviderSimulator;
import dev.tokenbroker.support.Api;
import dev.tokenbroker.support.Flows;
import dev.tokenbroker.support.PostgresOutageProfile;
import dev.tokenbroker.support.RestartablePostgres;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * PostgreSQL is stopped for 60 s while three consumers ask for cached tokens (DESIGN §3.7): valid
 * cached tokens keep being served, a token that needs a refresh answers 503 store_unavailable, and
 * everything recovers without a restart, buffered audit events included.
 */
@QuarkusTest
@TestProfile(PostgresOutageProfile.class)
class DatabaseOutageTest {

  private static final long OUTAGE_MILLIS = 60_000;

  @InjectSimulator ProviderSimulator sim;

  @Test
  void cachedTokensAreServedThroughASixtySecondOutageAndRefreshesAnswer503() throws Exception {
    sim.reset();
    String provider = unique("outage");
    Flows.registerCodeProvider(provider, sim, Map.of());
    List<String> keys = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      keys.add(Api.consumer(unique("outage-app"), provider, List.of("*")));
      importGrant(provider, "valid-" + i, 3600);
    }
    importGrant(provider, "ending", 45);
    for (int i = 0; i < 3; i++) {
      assertEquals(200, token(keys.get(i), provider, "valid-" + i).statusCode());
    }
    assertEquals(200, token(keys.get(0), provider, "ending").statusCode());

    RestartablePostgres.stopServer();
    Map<Integer, AtomicInteger> cachedStatuses = new ConcurrentHashMap<>();
    Map<String, AtomicInteger> endingAnswers = new ConcurrentHashMap<>();
    int served;
    ExecutorService callers = Executors.newFixedThreadPool(3);
    try {
      long end = System.currentTimeMillis() + OUTAGE_MILLIS;
      List<Future<?>> running = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        String key = keys.get(i);
        String subject = "valid-" + i;
        running.add(
            callers.submit(
                () -> {
                  while (System.currentTimeMillis() < end) {
                    int status = token(key, provider, subject).statusCode();
                    cachedStatuses
                        .computeIfAbsent(status, s -> new AtomicInteger())
                        .incrementAndGet();
                    pause(150);
                  }
                  return null;
                }));
      }
      while (System.currentTimeMillis() < end) {
        Response ending = token(keys.get(0), provider, "ending");
        String answer = ending.statusCode() + " " + ending.path("code");
        if (ending.statusCode() == 503) {
          assertTrue(ending.header("Retry-After") != null, "503 without Retry-After");
        }
        endingAnswers.computeIfAbsent(answer, a -> new AtomicInteger()).incrementAndGet();
        pause(1000);
      }
      for (Future<?> f : running) {
        f.get();
      }
    } finally {
      callers.shutdownNow();
      RestartablePostgres.startServer();
    }

    served = cachedStatuses.getOrDefault(200, new AtomicInteger()).get();
    assertEquals(Map.of(200, served), plain(cachedStatuses), "only 200 for still-valid tokens");
    assertTrue(served > 600, "about 20 requests per second were made: " + served);
    assertTrue(
        endingAnswers.keySet().stream()
            .allMatch(a -> a.equals("200 null") || a.equals("503 store_unavailable")),
        "a token that needs the database answers 503 store_unavailable: " + endingAnswers);
    assertTrue(endingAnswers.containsKey("503 store_unavailable"), endingAnswers.toString());

    long deadline = System.currentTimeMillis() + 30_000;
    int status;
    do {
      status = token(keys.get(0), provider, "ending").statusCode();
      if (status != 200) {
        pause(500);
      }
    } while (status != 200 && System.currentTimeMillis() < deadline);
    assertEquals(200, status, "the refresh works again after the database is back, no restart");

    int written = 0;
    deadline = System.currentTimeMillis() + 30_000;
    while (System.currentTimeMillis() < deadline) {
      written = auditedTokenIssues(provider);
      if (written >= served + 4) {
        break;
      }
      pause(500);
    }
    assertTrue(
        written >= served + 4,
        "audit events buffered during the outage are written: " + written + " of " + served);
  }

  private static Map<Integer, Integer> plain(Map<Integer, AtomicInteger> counts) {
    Map<Integer, Integer> plain = new HashMap<>();
    counts.forEach((k, v) -> plain.put(k, v.get()));
    return plain;
  }

  private void importGrant(String provider, String subject, int expiresIn) {
    admin()
        .body(
            Map.of(
                "subject",
                subject,
                "refresh_token",
                sim.issueRefreshTokenFor("r:profile"),
                "scopes",
                List.of("r:profile"),
                "access_token",
                "at-imported-" + subject,
                "expires_in",
                expiresIn))
        .post("/v1/providers/" + provider + "/grants")
        .then()
        .statusCode(201);
  }

  private static Response token(String key, String provider, String subject) {
    return as(key)
        .body(Map.of("provider_id", provider, "subject", subject, "min_validity_seconds", 30))
        .post("/v1/tokens");
  }

  private static int auditedTokenIssues(String provider) {
    int count = 0;
    String cursor = null;
    do {
      var request =
          admin()
              .queryParam("action", "token.issued")
              .queryParam("outcome", "success")
              .queryParam("provider_id", provider)
              .queryParam("limit", 500);
      if (cursor != null) {
        request.queryParam("cursor", cursor);
      }
      Response page = request.get("/v1/audit-events");
      if (page.statusCode() != 200) {
        return count;
      }
      count += page.jsonPath().getList("items").size();
      cursor = page.path("next_cursor");
    } while (cursor != null);
    return count;
  }

  private static void pause(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
