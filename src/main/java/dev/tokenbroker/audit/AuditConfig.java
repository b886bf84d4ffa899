package dev.tokenbroker.audit;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** The audit trail: buffering, flushing and retention. */
@ConfigMapping(prefix = "broker.audit")
public interface AuditConfig {

  /** How long events are kept; older ones are purged hourly. */
  @WithDefault("90d")
  Duration retention();

  /** Events buffered in memory while the database catches up (or is down); beyond, dropped. */
  @WithDefault("50000")
  int bufferSize();

  /** How often buffered events are written, in one batch. */
  @WithDefault("1s")
  Duration flushInterval();
}
