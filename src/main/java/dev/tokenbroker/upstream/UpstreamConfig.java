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

  /** Lifetime assumed when a provider returns no {@code expires_in}. */
  @WithDefault("1h")
  Duration assumedTokenLifetime();
}
