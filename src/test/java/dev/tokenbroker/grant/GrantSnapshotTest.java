package dev.tokenbroker.grant;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class GrantSnapshotTest {

  private static final Instant NOW = Instant.parse("2026-01-01T12:00:00Z");

  @Test
  void satisfiesWhenTokenHasTheRequestedValidityLeft() {
    GrantSnapshot g = token(NOW.minusSeconds(100), NOW.plusSeconds(3500));
    assertTrue(g.satisfies(NOW, 60));
    assertTrue(g.satisfies(NOW, 3500));
    GrantSnapshot older = token(NOW.minusSeconds(3000), NOW.plusSeconds(600));
    assertTrue(older.satisfies(NOW, 600));
    assertFalse(older.satisfies(NOW, 601));
    GrantSnapshot aged = token(NOW.minusSeconds(1000), NOW.plusSeconds(2600));
    assertFalse(aged.satisfies(NOW, 7200), "more than its lifetime asked, and not fresh");
  }

  @Test
  void whenProviderIssuesShorterTokensThenAlmostFreshOneSatisfies() {
    GrantSnapshot fresh = token(NOW.minusSeconds(5), NOW.plusSeconds(55));
    assertTrue(fresh.satisfies(NOW, 300), "60 s tokens: one with 55 s left is as good as new");
    GrantSnapshot older = token(NOW.minusSeconds(20), NOW.plusSeconds(40));
    assertFalse(older.satisfies(NOW, 300));
  }

  @Test
  void expiredOrMissingTokenNeverSatisfies() {
    assertFalse(token(NOW.minusSeconds(60), NOW).satisfies(NOW, 0));
    assertFalse(
        new GrantSnapshot("g", "p", "s", List.of(), GrantStatus.ACTIVE, null, null, null, null)
            .satisfies(NOW, 0));
  }

  private static GrantSnapshot token(Instant issued, Instant expires) {
    return new GrantSnapshot(
        "g", "p", "s", List.of("a"), GrantStatus.ACTIVE, "at", issued, expires, "a");
  }
}
