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

  /**
   * Events buffered in memory while the database catches up (or is down); beyond, dropped. About
   * 160 bytes each: the default holds 10 s of 20,000 tokens/s.
   */
  @WithDefault("200000")
  int bufferSize();

  /**
   * {@code each}: every token served is an event of its own. {@code summary}: successful ones are
   * counted per caller, provider, grant and subject and written as one event per flush interval
   * with the count in {@code detail}; failures stay one event each. The default is {@code each},
   * since an audit trail is read one served token at a time after an incident; {@code summary} is
   * for high-volume deployments where that costs more than it tells.
   */
  @WithDefault("each")
  IssuedTokens issuedTokens();

  enum IssuedTokens {
    EACH,
    SUMMARY
  }

  /** How often buffered events are written, in one batch. */
  @WithDefault("1s")
  Duration flushInterval();
}
