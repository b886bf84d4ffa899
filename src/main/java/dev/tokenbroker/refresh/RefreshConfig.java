package dev.tokenbroker.refresh;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** How refreshes are coordinated across callers and replicas. */
@ConfigMapping(prefix = "broker.refresh")
public interface RefreshConfig {

  /**
   * How long a refresh lease lasts without renewal: how soon the grants of a replica that died are
   * taken over. Its holder renews it every {@link #leaseRenewal()} while it works (ADR 7).
   */
  @WithDefault("2s")
  Duration leaseDuration();

  /** How often a replica renews the leases it holds; well below {@link #leaseDuration()}. */
  @WithDefault("500ms")
  Duration leaseRenewal();

  /** How long a caller waits for another replica's refresh before giving up with 503. */
  @WithDefault("20s")
  Duration waitTimeout();

  /**
   * The shortest time between two refreshes of one grant caused by callers reporting its access
   * token as rejected ({@code rejected_access_token}).
   */
  @WithDefault("10s")
  Duration rejectedTokenMinInterval();

  /**
   * PostgreSQL sessions per replica that hold the refresh advisory locks (read by {@code
   * grant.RefreshLocks}); each grant's lock lives on one of them.
   */
  @WithDefault("4")
  int lockSessions();

  /** Pause between looks at a grant another replica is refreshing. */
  @WithDefault("100ms")
  Duration pollInterval();

  /** Share of the lifetime by which the next proactive refresh is moved earlier at random. */
  @WithDefault("0.05")
  double jitter();

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
  }

  /** Retry-After given to callers when the upstream did not name one. */
  @WithDefault("5s")
  Duration defaultRetryAfter();
}
