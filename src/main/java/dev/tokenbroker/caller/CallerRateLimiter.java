package dev.tokenbroker.caller;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.tokenbroker.api.ApiException;
import dev.tokenbroker.api.ProblemCodes;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.Response.Status;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

/** Per-caller limit on {@code POST /v1/tokens}, per replica (a token bucket per caller). */
@ApplicationScoped
public class CallerRateLimiter {

  /** The inbound limit on token requests. */
  @ConfigMapping(prefix = "broker.rate-limit")
  public interface RateLimitConfig {
    @WithDefault("true")
    boolean enabled();

    /** Sustained token requests per second per caller and replica. */
    @WithDefault("50")
    double tokenRequestsPerSecond();

    /** Requests a caller may make at once before the sustained rate applies. */
    @WithDefault("200")
    int tokenRequestBurst();

    /**
     * Refused credentials (401) per second per client address and replica; beyond them, and beyond
     * {@link #refusalBurst()}, the address gets 429 {@code rate_limited} without any credential
     * being looked up. Valid callers known in memory are never held back.
     */
    @WithDefault("2")
    double refusalsPerSecond();

    @WithDefault("30")
    int refusalBurst();
  }

  private final RateLimitConfig config;
  private final Clock clock;
  private final Cache<String, TokenBucket> buckets =
      Caffeine.newBuilder().maximumSize(100_000).expireAfterAccess(Duration.ofMinutes(10)).build();

  public CallerRateLimiter(RateLimitConfig config, Clock clock) {
    this.config = config;
    this.clock = clock;
  }

  /** Counts one token request of the caller, or throws 429 {@code rate_limited}. */
  public void admitTokenRequest(AuthenticatedCaller caller) {
    if (!config.enabled()) {
      return;
    }
    TokenBucket bucket =
        buckets.get(
            caller.id(),
            id ->
                new TokenBucket(
                    config.tokenRequestBurst(), config.tokenRequestsPerSecond(), clock.instant()));
    Optional<Duration> wait = bucket.tryTake(clock.instant());
    if (wait.isPresent()) {
      throw ApiException.withRetryAfter(
          Status.TOO_MANY_REQUESTS,
          ProblemCodes.RATE_LIMITED,
          "Too many token requests from caller " + caller.name(),
          wait.get());
    }
  }
}
