package dev.tokenbroker.upstream;

import static dev.tokenbroker.support.Api.unique;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tokenbroker.db.Database;
import dev.tokenbroker.support.Api;
import dev.tokenbroker.support.Concurrently;
import dev.tokenbroker.support.PostgresProfile;
import dev.tokenbroker.support.SettableClock;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The cluster-wide request slot of a paced provider, on PostgreSQL. */
@QuarkusTest
@TestProfile(PostgresProfile.class)
class UpstreamRateGuardTest {

  @Inject UpstreamRateGuard guard;
  @Inject UpstreamConfig config;
  @Inject Database db;

  @Test
  void oneRequestInFlightThenTheNextSlotOpensOneIntervalAfterTheAnswer() {
    String provider = unique("paced");
    provider(provider);
    assertTrue(guard.tryAcquire(provider, 10).isEmpty(), "the first request may go");

    UpstreamRateGuard.Busy inFlight = guard.tryAcquire(provider, 10).orElseThrow();
    assertTrue(inFlight.inFlight(), "a request is out");

    guard.answered(provider, 10);
    UpstreamRateGuard.Busy paced = guard.tryAcquire(provider, 10).orElseThrow();
    assertFalse(paced.inFlight());
    assertTrue(
        paced.opensIn().compareTo(Duration.ofSeconds(9)) > 0
            && paced.opensIn().compareTo(Duration.ofSeconds(10)) <= 0,
        "opens one interval after the answer: " + paced.opensIn());
  }

  @Test
  void aRetryAfterHoldOutlastsTheAnswerAndAppliesWithoutAnInterval() {
    String provider = unique("held");
    provider(provider);
    assertTrue(guard.tryAcquire(provider, 0).isEmpty(), "no interval, no hold: go");
    guard.holdUntil(provider, Instant.now().plusSeconds(60));
    Duration held = guard.tryAcquire(provider, 0).orElseThrow().opensIn();
    assertTrue(held.compareTo(Duration.ofSeconds(55)) > 0, "held " + held);

    String paced = unique("held-paced");
    provider(paced);
    assertTrue(guard.tryAcquire(paced, 5).isEmpty());
    guard.holdUntil(paced, Instant.now().plusSeconds(60));
    guard.answered(paced, 5);
    Duration stillHeld = guard.tryAcquire(paced, 5).orElseThrow().opensIn();
    assertTrue(stillHeld.compareTo(Duration.ofSeconds(55)) > 0, "answer kept the hold");
  }

  @Test
  void fiftyConcurrentRequestsGetExactlyOneSlot() throws Exception {
    String provider = unique("contended");
    provider(provider);
    List<Optional<UpstreamRateGuard.Busy>> results =
        Concurrently.run(50, () -> guard.tryAcquire(provider, 10));
    assertEquals(1, results.stream().filter(Optional::isEmpty).count());
  }

  @Test
  void anotherReplicasHoldAppliesOnceItsLastReadIsOlderThanTheRecheckInterval() {
    String provider = unique("recheck");
    provider(provider);
    SettableClock clock = new SettableClock(Instant.now());
    UpstreamRateGuard otherReplica = new UpstreamRateGuard(db, clock, config);
    assertTrue(otherReplica.tryAcquire(provider, 0).isEmpty(), "no hold yet");

    guard.holdUntil(provider, Instant.now().plusSeconds(60));
    assertTrue(guard.tryAcquire(provider, 0).isPresent(), "the replica that recorded it holds");
    assertTrue(
        otherReplica.tryAcquire(provider, 0).isEmpty(),
        "the other replica goes by its read of less than " + config.holdRecheck() + " ago");

    clock.advance(config.holdRecheck());
    Duration held = otherReplica.tryAcquire(provider, 0).orElseThrow().opensIn();
    assertTrue(held.compareTo(Duration.ofSeconds(50)) > 0, "held for " + held);
  }

  @Test
  void aHoldIsKnownWithoutTheDatabaseOnlyWhileItsLastReadIsRecent() {
    String provider = unique("memory");
    provider(provider);
    SettableClock clock = new SettableClock(Instant.now());
    UpstreamRateGuard otherReplica = new UpstreamRateGuard(db, clock, config);
    assertTrue(otherReplica.holdFromMemory(provider).isEmpty(), "never read: the database tells");
    assertTrue(otherReplica.tryAcquire(provider, 0).isEmpty());
    assertFalse(
        otherReplica.holdFromMemory(provider).orElseThrow().isAfter(clock.instant()),
        "just read: known not to be held");

    Instant until = Instant.now().plusSeconds(60);
    guard.holdUntil(provider, until);
    assertFalse(
        otherReplica.holdFromMemory(provider).orElseThrow().isAfter(clock.instant()),
        "the other replica's read is less than " + config.holdRecheck() + " old");

    clock.advance(config.holdRecheck());
    assertTrue(otherReplica.holdFromMemory(provider).isEmpty(), "too old: the database tells");
    assertTrue(otherReplica.tryAcquire(provider, 0).isPresent());
    assertEquals(
        until.toEpochMilli(), otherReplica.holdFromMemory(provider).orElseThrow().toEpochMilli());
  }

  /** Registers the provider through the API, which creates its guard row. */
  private static void provider(String id) {
    Api.admin().body(Api.genericProvider()).put("/v1/providers/" + id).then().statusCode(201);
  }
}
