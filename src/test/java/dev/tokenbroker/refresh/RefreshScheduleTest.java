package dev.tokenbroker.refresh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.Random;
import org.junit.jupiter.api.Test;

class RefreshScheduleTest {

  private static final Instant ISSUED = Instant.parse("2026-01-01T00:00:00Z");

  @Test
  void nextRefreshWithoutJitterIsAtTheRatio() {
    Instant next =
        RefreshSchedule.nextRefreshAt(ISSUED, ISSUED.plusSeconds(1000), 0.75, 0.0, new Random(1));
    assertEquals(ISSUED.plusSeconds(750), next);
  }

  @Test
  void jitterOnlyMovesTheRefreshEarlierAndWithinBounds() {
    Random random = new Random(42);
    for (int i = 0; i < 1000; i++) {
      Instant next =
          RefreshSchedule.nextRefreshAt(ISSUED, ISSUED.plusSeconds(1000), 0.75, 0.05, random);
      assertTrue(!next.isAfter(ISSUED.plusSeconds(750)), next.toString());
      assertTrue(!next.isBefore(ISSUED.plusSeconds(700)), next.toString());
    }
  }

  @Test
  void expiredOrUnknownLifetimeIsDueAtOnce() {
    assertEquals(ISSUED, RefreshSchedule.nextRefreshAt(ISSUED, null, 0.75, 0.05, new Random()));
    assertEquals(ISSUED, RefreshSchedule.nextRefreshAt(ISSUED, ISSUED, 0.75, 0.05, new Random()));
  }
}
