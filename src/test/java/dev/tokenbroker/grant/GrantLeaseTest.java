package dev.tokenbroker.grant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tokenbroker.support.Api;
import dev.tokenbroker.support.PostgresProfile;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The refresh lease on a real PostgreSQL: conditional UPDATEs decide who refreshes. */
@QuarkusTest
@TestProfile(PostgresProfile.class)
class GrantLeaseTest {

  @Inject GrantStore store;

  private String grantId;

  @BeforeEach
  void newGrant() {
    String provider = Api.unique("lease");
    Map<String, Object> body = Api.genericProvider();
    Api.admin().body(body).put("/v1/providers/" + provider).then().statusCode(201);
    grantId =
        Api.admin()
            .body(Map.of("subject", "s", "refresh_token", "rt", "scopes", List.of("openid")))
            .post("/v1/providers/" + provider + "/grants")
            .then()
            .statusCode(201)
            .extract()
            .path("id");
  }

  @Test
  void leaseIsExclusiveUntilReleasedByItsOwner() {
    assertTrue(store.tryLease(grantId, "a", Duration.ofMinutes(1)));
    assertFalse(store.tryLease(grantId, "b", Duration.ofMinutes(1)));
    store.releaseLease(grantId, "b");
    assertFalse(store.tryLease(grantId, "b", Duration.ofMinutes(1)), "only the owner releases");
    store.releaseLease(grantId, "a");
    assertTrue(store.tryLease(grantId, "b", Duration.ofMinutes(1)));
  }

  @Test
  void expiredLeaseCanBeTakenOver() throws InterruptedException {
    assertTrue(store.tryLease(grantId, "crashed", Duration.ofMillis(1)));
    Thread.sleep(20);
    assertTrue(store.tryLease(grantId, "b", Duration.ofMinutes(1)));
  }

  @Test
  void manyThreadsRacingForOneLeaseHaveOneWinner() throws Exception {
    AtomicInteger winners = new AtomicInteger();
    dev.tokenbroker.support.Concurrently.run(
        32,
        () -> {
          if (store.tryLease(grantId, Thread.currentThread().getName(), Duration.ofMinutes(1))) {
            winners.incrementAndGet();
          }
          return null;
        });
    assertEquals(1, winners.get());
  }

  @Test
  void storeRefreshedIsConditionalOnTheVersionRead() {
    GrantEntity read = store.find(grantId).orElseThrow();
    Instant now = Instant.now();
    TokenWrite write = new TokenWrite(null, null, "openid", now, now.plusSeconds(60), now);
    assertTrue(store.storeRefreshed(grantId, read.version, write));
    assertFalse(store.storeRefreshed(grantId, read.version, write), "a stale version must not win");
    GrantEntity after = store.find(grantId).orElseThrow();
    assertEquals(read.version + 1, after.version);
    assertEquals(read.refreshTokenCiphertext, after.refreshTokenCiphertext, "no rotation keeps it");
  }
}
