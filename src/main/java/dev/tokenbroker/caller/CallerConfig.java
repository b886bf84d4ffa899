package dev.tokenbroker.caller;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** How long and how many authenticated API keys are remembered in memory (DESIGN §3.7). */
@ConfigMapping(prefix = "broker.caller")
public interface CallerConfig {

  /**
   * How often a remembered key is re-read in the background: bounds how long a key deleted on
   * another replica keeps working there if its change notification was missed.
   */
  @WithDefault("30s")
  Duration authCacheTtl();

  @WithDefault("10000")
  int authCacheSize();
}
