package dev.tokenbroker.proxy;

import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A provider's API answered 429 with Retry-After: calls to it wait out that time here instead of
 * being sent (per replica).
 */
@ApplicationScoped
public class ProxyHolds {

  private static final Duration LONGEST = Duration.ofHours(1);

  private final ConcurrentHashMap<String, Instant> until = new ConcurrentHashMap<>();
  private final Clock clock;

  public ProxyHolds(Clock clock) {
    this.clock = clock;
  }

  void hold(String providerId, Duration wait) {
    Duration bounded = wait.compareTo(LONGEST) > 0 ? LONGEST : wait;
    until.merge(providerId, clock.instant().plus(bounded), (a, b) -> a.isAfter(b) ? a : b);
  }

  /** How long calls to the provider still wait, if they do. */
  Optional<Duration> remaining(String providerId) {
    Instant end = until.get(providerId);
    if (end == null) {
      return Optional.empty();
    }
    Duration left = Duration.between(clock.instant(), end);
    if (left.isNegative() || left.isZero()) {
      until.remove(providerId, end);
      return Optional.empty();
    }
    return Optional.of(left);
  }
}
