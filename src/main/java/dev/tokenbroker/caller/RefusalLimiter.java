package dev.tokenbroker.caller;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.tokenbroker.api.ApiException;
import dev.tokenbroker.api.ProblemCodes;
import dev.tokenbroker.caller.CallerRateLimiter.RateLimitConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.Response.Status;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Limits refused credentials per client address (DESIGN §6): a flood of unknown API keys or bad
 * JWTs from one address is answered 429 {@code rate_limited} before any of them costs a database
 * read or a signature check, so that it cannot starve the pool that refreshes need.
 */
@ApplicationScoped
public class RefusalLimiter {

  private static final Logger LOG = Logger.getLogger(RefusalLimiter.class);

  private final RateLimitConfig config;
  private final Clock clock;
  private final Cache<String, TokenBucket> buckets =
      Caffeine.newBuilder().maximumSize(100_000).expireAfterAccess(Duration.ofMinutes(10)).build();

  public RefusalLimiter(RateLimitConfig config, Clock clock) {
    this.config = config;
    this.clock = clock;
  }

  /** The address a request came from, as the refusal limit counts it. */
  public static String clientAddress(io.vertx.core.http.HttpServerRequest http) {
    return http == null || http.remoteAddress() == null
        ? "unknown"
        : http.remoteAddress().hostAddress();
  }

  /** 429 when the address has used up its refusals; nothing is taken. */
  public void requireUnderLimit(String address) {
    if (config.enabled()) {
      bucket(address).peek(clock.instant()).ifPresent(wait -> throwLimited(address, wait));
    }
  }

  /**
   * Counts a refusal of the address's credentials; the 429 to answer instead of the refusal when
   * the address is over its limit.
   */
  public Optional<ApiException> countRefusal(String address) {
    if (!config.enabled()) {
      return Optional.empty();
    }
    return bucket(address).tryTake(clock.instant()).map(wait -> limited(address, wait));
  }

  private TokenBucket bucket(String address) {
    return buckets.get(
        address,
        a -> new TokenBucket(config.refusalBurst(), config.refusalsPerSecond(), clock.instant()));
  }

  private static void throwLimited(String address, Duration wait) {
    throw limited(address, wait);
  }

  private static ApiException limited(String address, Duration wait) {
    LOG.debugf("Refused credentials from %s over the limit; answering 429", address);
    return ApiException.withRetryAfter(
        Status.TOO_MANY_REQUESTS,
        ProblemCodes.RATE_LIMITED,
        "Too many refused credentials from this address",
        wait);
  }
}
