package dev.tokenbroker.refresh.lease;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tokenbroker.grant.GrantEntity;
import dev.tokenbroker.grant.GrantStore;
import dev.tokenbroker.grant.TokenWrite;
import dev.tokenbroker.support.PostgresProfile;
import dev.tokenbroker.support.SettableClock;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The refresh lease on a real PostgreSQL: conditional UPDATEs decide who refreshes. */
@QuarkusTest
@TestProfile(PostgresProfile.class)
class GrantLeaseTest {

  @Inject LeaseStore store;
  @Inject GrantStore grants;

  @Inject Clock brokerClock;

  /** The broker's clock: a test moves it past a lease's end instead of waiting for it. */
  private SettableClock clock;

  private String grantId;

  @BeforeEach
  void newGrant() {
    clock = (SettableClock) brokerClock;
    grantId = dev.tokenbroker.support.Flows.grantAtANewProvider("lease");
  }

  private Optional<GrantLease> lease(String owner, Duration duration) {
    return store.tryLease(grantId, owner, duration, false, ended -> {});
  }

  @AfterEach
  void rewindClock() {
    clock.rewind();
  }

  @Test
  void leaseIsExclusiveUntilReleasedByItsOwner() {
    GrantLease a = lease("a", Duration.ofMinutes(1)).orElseThrow();
    assertTrue(lease("b", Duration.ofMinutes(1)).isEmpty());
    store.releaseLease(grantId, "b", false);
    assertTrue(lease("b", Duration.ofMinutes(1)).isEmpty(), "only the owner releases");
    a.close();
    assertTrue(lease("b", Duration.ofMinutes(1)).isPresent());
  }

  @Test
  void expiredLeaseCanBeTakenOverAndItsAttemptCountsAsInterrupted() {
    GrantLease crashed = lease("crashed", Duration.ofMillis(1)).orElseThrow();
    assertFalse(crashed.interrupted(), "a first attempt is not interrupted");
    clock.advance(Duration.ofMillis(20));
    GrantLease next = lease("b", Duration.ofMinutes(1)).orElseThrow();
    assertTrue(next.interrupted(), "the dead holder's attempt is inherited");
    assertEquals(crashed.attemptStartedAt(), next.attemptStartedAt(), "its start time is kept");
  }

  @Test
  void releaseWithoutCallClearsTheAttemptButAnUnknownOutcomeKeepsIt() {
    lease("a", Duration.ofMinutes(1)).orElseThrow().close();
    assertFalse(lease("b", Duration.ofMinutes(1)).orElseThrow().interrupted());
    store.releaseLease(grantId, "b", false);

    GrantLease timedOut = lease("c", Duration.ofMinutes(1)).orElseThrow();
    clock.advance(Duration.ofSeconds(15)); // the call that timed out took its time
    timedOut.outcomeUnknown();
    timedOut.close();
    assertTrue(lease("d", Duration.ofMinutes(1)).orElseThrow().interrupted());
  }

  @Test
  void renewalKeepsALeaseAliveOnlyForItsOwner() {
    lease("a", Duration.ofMillis(300)).orElseThrow();
    assertEquals(1, store.renewLeases(List.of(grantId), "a", Duration.ofMinutes(1)));
    assertEquals(0, store.renewLeases(List.of(grantId), "b", Duration.ofMinutes(1)));
    clock.advance(Duration.ofMillis(400));
    assertTrue(lease("b", Duration.ofMinutes(1)).isEmpty(), "the renewed lease still holds");
  }

  @Test
  void manyThreadsRacingForOneLeaseHaveOneWinner() throws Exception {
    AtomicInteger winners = new AtomicInteger();
    dev.tokenbroker.support.Concurrently.run(
        32,
        () -> {
          if (lease(Thread.currentThread().getName(), Duration.ofMinutes(1)).isPresent()) {
            winners.incrementAndGet();
          }
          return null;
        });
    assertEquals(1, winners.get());
  }

  @Test
  void aRotatedRefreshTokenStartsANewGenerationAndClearsTheAttempt() {
    GrantLease lease = lease("a", Duration.ofMinutes(1)).orElseThrow();
    lease.outcomeUnknown();
    Instant now = Instant.now();
    GrantEntity before = lease.grant();
    assertTrue(
        lease.store(
            new TokenWrite(null, "new-ciphertext", "openid", now, now.plusSeconds(60), now)));
    GrantEntity after = grants.find(grantId).orElseThrow();
    assertEquals(before.refreshTokenGeneration + 1, after.refreshTokenGeneration);
    assertEquals(null, after.attemptStartedAt);
    assertEquals(null, after.leaseOwner);
    assertFalse(lease("b", Duration.ofMinutes(1)).orElseThrow().interrupted());
  }

  @Test
  void storeRefreshedIsConditionalOnTheVersionRead() {
    GrantEntity read = grants.find(grantId).orElseThrow();
    Instant now = clock.instant();
    TokenWrite write = new TokenWrite(null, null, "openid", now, now.plusSeconds(60), now);
    assertTrue(store.storeRefreshed(grantId, read.version, write));
    assertFalse(store.storeRefreshed(grantId, read.version, write), "a stale version must not win");
    GrantEntity after = grants.find(grantId).orElseThrow();
    assertEquals(read.version + 1, after.version);
    assertEquals(read.refreshTokenCiphertext, after.refreshTokenCiphertext, "no rotation keeps it");
  }

  @Test
  void aDeadHoldersAttemptIsClaimedByTheScanLongBeforeItsGrantIsDue() throws Exception {
    notDueForAnHour(grantId);
    String idle = dev.tokenbroker.support.Flows.grantAtANewProvider("lease-idle");
    notDueForAnHour(idle);
    lease("crashed", Duration.ofMillis(1)).orElseThrow(); // its holder dies: it never ends
    clock.advance(Duration.ofMillis(20));

    List<String> claimed = claimedByAScan();
    assertTrue(claimed.contains(grantId), "the interrupted refresh waits for its due time");
    assertFalse(claimed.contains(idle), "a grant that is not due and not interrupted");
  }

  @Test
  void aLiveHoldersFailureWithUnknownOutcomeWaitsForItsRetryTime() throws Exception {
    notDueForAnHour(grantId);
    GrantLease timedOut = lease("alive", Duration.ofMinutes(1)).orElseThrow();
    timedOut.outcomeUnknown();
    timedOut.fail("upstream_timeout", null, clock.instant().plusSeconds(3600));
    clock.advance(Duration.ofMillis(20));
    assertFalse(claimedByAScan().contains(grantId), "the backoff of a recorded failure holds");
    assertTrue(lease("next", Duration.ofMinutes(1)).orElseThrow().interrupted());
  }

  private void notDueForAnHour(String id) {
    GrantEntity read = grants.find(id).orElseThrow();
    Instant now = clock.instant();
    TokenWrite write =
        new TokenWrite(null, null, "openid", now, now.plusSeconds(7200), now.plusSeconds(3600));
    assertTrue(store.storeRefreshed(id, read.version, write));
  }

  /** A scan's claim, so short that it runs out at once and blocks no other test. */
  private List<String> claimedByAScan() {
    return store.claimDue("scanner", Duration.ofMillis(1), 10_000).stream()
        .map(row -> (String) row[0])
        .toList();
  }
}
