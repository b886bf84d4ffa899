package dev.tokenbroker.webhook;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/**
 * Optional webhooks: a signed JSON event when a grant turns reauthorization_required and when it
 * recovers. Off unless {@code broker.webhooks.url} is set.
 */
@ConfigMapping(prefix = "broker.webhooks")
public interface WebhookConfig {

  /** Receiver URL: HTTPS, or plain HTTP on this machine only. */
  Optional<String> url();

  /** HMAC-SHA256 key for {@code X-Token-Broker-Signature}; at least 32 characters. */
  Optional<String> secret();

  /** Delivery attempts before giving up on an event. */
  @WithDefault("12")
  int maxAttempts();

  /** Pause after the first failed attempt; doubles up to {@code max-backoff}, with jitter. */
  @WithDefault("5s")
  Duration initialBackoff();

  @WithDefault("1h")
  Duration maxBackoff();

  /** Bound on one delivery request. */
  @WithDefault("10s")
  Duration timeout();

  /** How often each replica looks for deliveries that are due. */
  @WithDefault("2s")
  Duration pollInterval();
}
