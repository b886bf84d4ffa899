package dev.tokenbroker.caller;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

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

  /**
   * How long a key id that the database does not have is refused from memory. A new key cannot be
   * caught by it: key ids are random, so nobody asked for one before it was created.
   */
  @WithDefault("1m")
  Duration unknownKeyTtl();

  @WithDefault("100000")
  int unknownKeyCacheSize();

  /** Kubernetes service-account JWTs accepted as callers; off unless an issuer is set. */
  Jwt jwt();

  interface Jwt {
    /** The cluster's service-account issuer ({@code iss}). */
    Optional<String> issuer();

    /** The issuer's JWKS; when absent, read from its OpenID discovery document. */
    Optional<String> jwksUrl();

    /**
     * A PEM certificate to trust when reading the JWKS, such as the cluster CA at {@code
     * /var/run/secrets/kubernetes.io/serviceaccount/ca.crt}.
     */
    Optional<String> tlsCertificatePath();

    /** The audience the projected token is requested for. */
    @WithDefault("token-broker")
    String audience();

    @WithDefault("30s")
    Duration clockSkew();

    /** How soon the JWKS may be read again for a key id it does not have (key rotation). */
    @WithDefault("1m")
    Duration jwksForcedRefresh();
  }
}
