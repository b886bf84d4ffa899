package dev.tokenbroker.proxy;

import dev.tokenbroker.upstream.PacingKey;
import dev.tokenbroker.upstream.UpstreamRateGuard;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * A provider's API answered 429 with Retry-After: every replica's calls to it wait out that time
 * instead of being sent, kept like a token endpoint's hold (the shared rate-guard row, read again
 * at most every {@code broker.upstream.hold-recheck}). {@link #hold} and {@link #remaining} may
 * touch the database.
 */
@ApplicationScoped
public class ProxyHolds {

  private static final Duration LONGEST = Duration.ofHours(1);

  private final UpstreamRateGuard guard;
  private final Clock clock;

  public ProxyHolds(UpstreamRateGuard guard, Clock clock) {
    this.guard = guard;
    this.clock = clock;
  }

  void hold(String providerId, Duration wait) {
    Duration bounded = wait.compareTo(LONGEST) > 0 ? LONGEST : wait;
    guard.holdUntil(PacingKey.ofApi(providerId), clock.instant().plus(bounded));
  }

  /**
   * {@link #remaining} from memory alone: empty when the database must be read, {@link
   * Duration#ZERO} when calls need not wait.
   */
  Optional<Duration> remainingWithoutDatabase(String providerId) {
    Instant now = clock.instant();
    return guard
        .holdFromMemory(PacingKey.ofApi(providerId))
        .map(until -> until.isAfter(now) ? Duration.between(now, until) : Duration.ZERO);
  }

  /** How long calls to the provider's API still wait, if they do. */
  Optional<Duration> remaining(String providerId) {
    return guard.tryAcquire(PacingKey.ofApi(providerId), 0).map(UpstreamRateGuard.Busy::opensIn);
  }
}
