package dev.tokenbroker.caller;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** How long and how many authenticated API keys are remembered in memory. */
@ConfigMapping(prefix = "broker.caller")
public interface CallerConfig {

  /** Bounds how long a key deleted on another replica keeps working there. */
  @WithDefault("30s")
  Duration authCacheTtl();

  @WithDefault("10000")
  int authCacheSize();
}
