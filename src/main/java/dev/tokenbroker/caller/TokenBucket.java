package dev.tokenbroker.caller;

import java.time.Duration;
import java.time.Instant;

/** A token bucket: {@code capacity} requests at once, refilled at {@code perSecond}. */
public final class TokenBucket {

  private final double capacity;
  private final double perSecond;
  private double available;
  private Instant updated;

  public TokenBucket(int capacity, double perSecond, Instant now) {
    this.capacity = capacity;
    this.perSecond = perSecond;
    this.available = capacity;
    this.updated = now;
  }

  /** Takes one request's token: empty when allowed, otherwise the wait until one is free. */
  public synchronized java.util.Optional<Duration> tryTake(Instant now) {
    java.util.Optional<Duration> wait = peek(now);
    if (wait.isEmpty()) {
      available -= 1;
    }
    return wait;
  }

  /** As {@link #tryTake}, without taking anything. */
  public synchronized java.util.Optional<Duration> peek(Instant now) {
    if (now.isAfter(updated)) {
      double elapsed = Duration.between(updated, now).toNanos() / 1e9;
      available = Math.min(capacity, available + elapsed * perSecond);
      updated = now;
    }
    if (available >= 1) {
      return java.util.Optional.empty();
    }
    double missing = 1 - available;
    return java.util.Optional.of(Duration.ofNanos((long) Math.ceil(missing / perSecond * 1e9)));
  }
}
