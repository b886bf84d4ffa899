package dev.tokenbroker.authorization;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** How an authorization must end (DESIGN §6 Authorization integrity). */
@ConfigMapping(prefix = "broker.authorization")
public interface AuthorizationConfig {

  /**
   * Whether an authorization without a {@code return_url} may store its grant with no app
   * confirming the subject (the broker's own page). On in the dev profile only.
   */
  @WithDefault("false")
  boolean allowUnconfirmed();

  /** How long the tokens of a callback wait for the app's confirmation before they are revoked. */
  @WithDefault("10m")
  Duration confirmationLifetime();
}
