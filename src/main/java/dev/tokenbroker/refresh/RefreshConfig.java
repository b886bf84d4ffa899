package dev.tokenbroker.refresh;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** How refreshes are coordinated across callers and replicas. */
@ConfigMapping(prefix = "broker.refresh")
public interface RefreshConfig {

  /**
   * How long a replica holds a grant while it refreshes. Must exceed the upstream request timeout
   * with room to store the result, or another replica could reuse a rotated token.
   */
  @WithDefault("60s")
  Duration leaseDuration();

  /** How long a caller waits for another replica's refresh before giving up with 503. */
  @WithDefault("20s")
  Duration waitTimeout();

  /** Pause between looks at a grant another replica is refreshing. */
  @WithDefault("100ms")
  Duration pollInterval();

  /** Share of the lifetime by which the next proactive refresh is moved earlier at random. */
  @WithDefault("0.05")
  double jitter();

  /**
   * How long a refresh may wait for the provider's next request slot (its minimum interval or a
   * Retry-After) before the caller gets 503 instead.
   */
  @WithDefault("12s")
  Duration maxRateWait();

  /** Proactive refresh of grants before callers need them. */
  Proactive proactive();

  /** The scheduler that refreshes due grants (DESIGN §3.4). */
  interface Proactive {
    @WithDefault("true")
    boolean enabled();

    /** How often each replica looks for due grants. */
    @WithDefault("5s")
    Duration scanInterval();

    /** Grants claimed per look; only their ids are read. */
    @WithDefault("200")
    int batchSize();

    /** Refreshes running at once in this replica (BENCHMARKS.md: 16 sustain ~33/s). */
    @WithDefault("16")
    int concurrency();

    /** Refreshes running at once in this replica for any one provider. */
    @WithDefault("8")
    int perProviderConcurrency();
  }

  /** Retry-After given to callers when the upstream did not name one. */
  @WithDefault("5s")
  Duration defaultRetryAfter();
}
