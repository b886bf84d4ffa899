package dev.tokenbroker.registration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/**
 * The broker's client metadata for RFC 7591 registration at badge hosts, and when it registers
 * again. Open Badges 3.0 hosts expect every URI member; hosts answer {@code
 * invalid_client_metadata} for one they need and did not get.
 */
@ConfigMapping(prefix = "broker.registration")
public interface RegistrationConfig {

  @WithDefault("token-broker")
  String clientName();

  /** The home page of the application the broker serves; {@code broker.public-url} when unset. */
  Optional<String> clientUri();

  Optional<String> logoUri();

  Optional<String> tosUri();

  Optional<String> policyUri();

  /** Stable across versions and deployments of token-broker (RFC 7591 §2). */
  @WithDefault("f6bd04bc-2f96-4db6-9719-677e988c1a1d")
  String softwareId();

  @WithDefault("${quarkus.application.version:0}")
  String softwareVersion();

  /**
   * How long before a registered secret expires the broker registers again; at most half the
   * secret's lifetime.
   */
  @WithDefault("1h")
  Duration renewBefore();

  /**
   * When the host refuses the broker's credentials, the broker registers again at once, unless the
   * registration is younger than this (then the refusal is not about an old secret).
   */
  @WithDefault("5m")
  Duration minAgeForRejectionRenewal();

  /**
   * The least time between a registration and its renewal for an expiring secret, whatever expiry
   * the host announces: a host that answers {@code client_secret_expires_at} seconds ahead cannot
   * make the broker register again and again.
   */
  @WithDefault("5m")
  Duration minRenewalInterval();

  /** How often each replica re-reads which registered secrets expire when. */
  @WithDefault("1m")
  Duration reloadEvery();
}
