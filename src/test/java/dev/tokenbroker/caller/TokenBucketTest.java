package dev.tokenbroker.caller;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class TokenBucketTest {

  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  @Test
  void burstIsAllowedThenTheRateApplies() {
    TokenBucket bucket = new TokenBucket(3, 2.0, T0);
    assertTrue(bucket.tryTake(T0).isEmpty());
    assertTrue(bucket.tryTake(T0).isEmpty());
    assertTrue(bucket.tryTake(T0).isEmpty());
    assertEquals(Duration.ofMillis(500), bucket.tryTake(T0).orElseThrow());
    assertTrue(bucket.tryTake(T0.plusMillis(500)).isEmpty());
    assertTrue(bucket.tryTake(T0.plusMillis(500)).isPresent());
  }

  @Test
  void refillNeverExceedsCapacity() {
    TokenBucket bucket = new TokenBucket(2, 10.0, T0);
    Instant later = T0.plusSeconds(3600);
    assertTrue(bucket.tryTake(later).isEmpty());
    assertTrue(bucket.tryTake(later).isEmpty());
    assertTrue(bucket.tryTake(later).isPresent());
  }
}
