package dev.tokenbroker.upstream;

import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.LoadingCache;
import dev.tokenbroker.ops.Sleeper;
import dev.tokenbroker.provider.ProviderSettings;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * Paces every token endpoint call cluster-wide (DESIGN §3.5): waits for the provider's request
 * slot, opens the next one an interval after the answer, and turns a 429 into a hold that every
 * replica honors.
 */
@ApplicationScoped
public class TokenRequestPacer {

  private static final Logger LOG = Logger.getLogger(TokenRequestPacer.class);
  private static final Duration POLL = Duration.ofMillis(250);

  /** How long a 429 without Retry-After holds the provider. */
  private static final Duration DEFAULT_HOLD = Duration.ofSeconds(5);

  private final UpstreamRateGuard guard;
  private final Clock clock;
  private final Sleeper sleeper;

  /** A key is a SHA-256, worth computing once per provider definition, not per request. */
  private final LoadingCache<ProviderSettings, String> keys =
      Caffeine.newBuilder().maximumSize(10_000).build(PacingKey::of);

  public TokenRequestPacer(UpstreamRateGuard guard, Clock clock, Sleeper sleeper) {
    this.guard = guard;
    this.clock = clock;
    this.sleeper = sleeper;
  }

  /**
   * Runs {@code call} in the provider's next slot if that opens within {@code maxWait}; otherwise
   * fails as rate limited (no request made) so that callers get 503 with Retry-After.
   */
  public <T> T paced(ProviderSettings provider, Duration maxWait, Supplier<T> call) {
    awaitSlot(provider, maxWait);
    try {
      return call.get();
    } catch (UpstreamException e) {
      if (e.kind() == UpstreamException.Kind.RATE_LIMITED && e.status() == 429) {
        hold(provider, e.retryAfter().orElse(DEFAULT_HOLD));
      }
      throw e;
    } finally {
      answered(provider);
    }
  }

  private void awaitSlot(ProviderSettings provider, Duration maxWait) {
    Instant deadline = clock.instant().plus(maxWait);
    while (true) {
      Optional<UpstreamRateGuard.Busy> busy =
          guard.tryAcquire(
              keys.get(provider), provider.definition().minTokenRequestIntervalSeconds());
      if (busy.isEmpty()) {
        return;
      }
      Duration wait = busy.get().opensIn();
      Instant now = clock.instant();
      if (now.plus(wait).isAfter(deadline) || !now.isBefore(deadline)) {
        throw notNow(provider, busy.get());
      }
      Duration pause = busy.get().inFlight() || wait.compareTo(POLL) < 0 ? POLL : wait;
      sleeper.sleep(pause.plusMillis(ThreadLocalRandom.current().nextLong(50)));
    }
  }

  private static UpstreamException notNow(ProviderSettings provider, UpstreamRateGuard.Busy busy) {
    Duration retryAfter =
        busy.inFlight()
            ? Duration.ofSeconds(
                Math.max(1, provider.definition().minTokenRequestIntervalSeconds()))
            : busy.opensIn();
    return new UpstreamException(
        UpstreamException.Kind.RATE_LIMITED,
        0,
        null,
        retryAfter,
        "Provider " + provider.id() + " allows its next token request in " + retryAfter,
        null);
  }

  private void hold(ProviderSettings provider, Duration retryAfter) {
    try {
      guard.holdUntil(keys.get(provider), clock.instant().plus(retryAfter));
    } catch (RuntimeException e) {
      LOG.warnf(
          "Could not record the Retry-After of provider %s (%s)",
          provider.id(), e.getClass().getSimpleName());
    }
  }

  private void answered(ProviderSettings provider) {
    try {
      guard.answered(keys.get(provider), provider.definition().minTokenRequestIntervalSeconds());
    } catch (RuntimeException e) {
      LOG.warnf(
          "Could not record the request interval of provider %s (%s)",
          provider.id(), e.getClass().getSimpleName());
    }
  }
}
