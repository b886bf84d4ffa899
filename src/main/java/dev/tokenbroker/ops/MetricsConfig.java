package dev.tokenbroker.ops;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** How often the gauges that are read from the database are updated. */
@ConfigMapping(prefix = "broker.metrics")
public interface MetricsConfig {

  /** Read by the {@code @Scheduled} gauge updaters as {@code broker.metrics.refresh-interval}. */
  @WithDefault("15s")
  Duration refreshInterval();
}
