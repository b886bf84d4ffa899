package dev.tokenbroker.upstream;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** Timeouts for calls to providers' token endpoints. */
@ConfigMapping(prefix = "broker.upstream")
public interface UpstreamConfig {

  @WithDefault("5s")
  Duration connectTimeout();

  /** Upper bound for one token endpoint call, connection included. */
  @WithDefault("15s")
  Duration requestTimeout();

  /**
   * How long a token request may wait for the provider's next request slot (its minimum interval or
   * a Retry-After) before the caller gets 503 instead.
   */
  @WithDefault("12s")
  Duration maxRateWait();

  /**
   * How long a replica trusts its last read of a Retry-After hold of a provider without a minimum
   * interval: a hold another replica recorded applies here within this, and token requests to such
   * providers read nothing from the database in between. A hold this replica records applies at
   * once.
   */
  @WithDefault("1s")
  Duration holdRecheck();

  /** Lifetime assumed when a provider returns no {@code expires_in}. */
  @WithDefault("1h")
  Duration assumedTokenLifetime();

  Retry retry();

  Circuit circuit();

  /** Retries of transient failures (5xx, refused connections), never of OAuth errors. */
  interface Retry {
    @WithDefault("2")
    int maxRetries();

    @WithDefault("200ms")
    Duration delay();

    @WithDefault("2s")
    Duration maxDelay();
  }

  /** The circuit breaker each provider has; only outages count as failures. */
  interface Circuit {
    /** Calls in the rolling window that the failure ratio is computed over. */
    @WithDefault("10")
    int requestVolume();

    @WithDefault("0.5")
    double failureRatio();

    /** How long the circuit stays open before one trial call. */
    @WithDefault("30s")
    Duration delay();

    @WithDefault("2")
    int successThreshold();
  }
}
