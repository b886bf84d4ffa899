package dev.tokenbroker.oauth;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Map;

/** Issuers whose end-user JWTs {@code POST /v1/oauth/token} accepts as RFC 8693 subject tokens. */
@ConfigMapping(prefix = "broker.exchange")
public interface ExchangeConfig {

  /** By a name of the operator's choosing: {@code broker.exchange.issuers.<name>.*}. */
  Map<String, Issuer> issuers();

  interface Issuer {
    /** The {@code iss} a token must carry. */
    String issuer();

    String jwksUrl();

    /** The {@code aud} a token must carry: the broker's name at that issuer. */
    String audience();

    /** The claim that names the subject at the providers. */
    @WithDefault("sub")
    String subjectClaim();

    /**
     * Whether this issuer's subjects are the broker's subjects as they are. Otherwise (the default)
     * a subject is {@code <name>:<claim>}, so that the same {@code sub} at two issuers never names
     * the same grant (DESIGN §6). At most one issuer may be the default namespace.
     */
    @WithDefault("false")
    boolean defaultNamespace();

    @WithDefault("30s")
    Duration clockSkew();

    /** How soon the JWKS may be read again for a key id it does not have (key rotation). */
    @WithDefault("1m")
    Duration jwksForcedRefresh();
  }
}
