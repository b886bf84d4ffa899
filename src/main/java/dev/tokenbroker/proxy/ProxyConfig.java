package dev.tokenbroker.proxy;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** Limits of calls through the API proxy (DESIGN §6 API proxy). */
@ConfigMapping(prefix = "broker.proxy")
public interface ProxyConfig {

  /** The largest request body the proxy takes; it is buffered, so a call can be sent again. */
  @WithDefault("1048576")
  int maxRequestBytes();

  /**
   * The largest answer the proxy relays: one that declares more is 502 upstream_unavailable, one
   * that grows past it is cut.
   */
  @WithDefault("10485760")
  int maxAnswerBytes();

  /**
   * How long a call may wait for a connection to the upstream, and then how long the upstream may
   * take to start its answer.
   */
  @WithDefault("10s")
  Duration firstByteTimeout();

  /** How long the whole call may take, its answer included (and so any pause within it). */
  @WithDefault("30s")
  Duration answerTimeout();

  /** Connections the proxy keeps open per upstream host. */
  @WithDefault("50")
  int maxConnectionsPerHost();
}
