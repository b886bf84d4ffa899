package dev.tokenbroker.provider;

import java.time.Instant;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** A provider as the API shows it: never the client secret, only whether one is set. */
public record ProviderView(
    @Schema(examples = "badgr-us") String id,
    Preset preset,
    @Schema(examples = "us") String region,
    @Schema(examples = "https://api.badgr.io") String baseUrl,
    @Schema(examples = "Badgr (US)") String displayName,
    GrantType grantType,
    @Schema(examples = "https://badgr.com/auth/oauth2/authorize") String authorizationUrl,
    @Schema(examples = "https://api.badgr.io/o/token") String tokenUrl,
    @Schema(examples = "https://api.badgr.io/o/revoke_token/") String revocationUrl,
    @Schema(examples = "broker-client") String clientId,
    @Schema(examples = "true") boolean clientSecretSet,
    ClientAuthMethod clientAuthMethod,
    @Schema(examples = "[\"r:profile\", \"r:backpack\", \"rw:backpack\"]") List<String> scopes,
    @Schema(examples = "[\"r:profile\"]") List<String> defaultScopes,
    @Schema(examples = "https://token-broker.example.com/v1/oauth/callback") String redirectUri,
    PkceMethod pkce,
    @Schema(examples = "0") int minTokenRequestIntervalSeconds,
    @Schema(examples = "0.75") double refreshAheadRatio,
    @Schema(examples = "300") Integer keepAliveSeconds,
    @Schema(examples = "0") int refreshTokenReuseGraceSeconds,
    @Schema(examples = "8") int maxConcurrentRefreshes,
    @Schema(examples = "none") Downscope downscope,
    @Schema(examples = "https://idp.example.com") String issuer,
    @Schema(examples = "https://api.badgr.io") String apiBaseUrl,
    @Schema(description = "set while the provider refuses the broker's client credentials")
        Instant credentialsRejectedAt,
    Registration registration,
    @Schema(examples = "2026-11-01T09:30:00Z") Instant createdAt,
    @Schema(examples = "2026-12-03T12:00:00Z") Instant updatedAt) {

  /**
   * How the broker registered itself at the host (RFC 7591); never the secret or the registration
   * access token. {@code clientSecretExpiresAt} is null when the secret does not expire.
   */
  public record Registration(
      @Schema(examples = "a1b2c3") String clientId,
      @Schema(examples = "2026-12-01T10:00:00Z") Instant registeredAt,
      @Schema(examples = "2027-01-01T10:00:00Z") Instant clientSecretExpiresAt,
      @Schema(examples = "https://host.example/ims/ob/v3p0/discovery") String discoveryUrl) {}

  static ProviderView of(ProviderEntity p) {
    ProviderDefinition d = p.definition();
    return new ProviderView(
        d.id(),
        d.preset(),
        d.region(),
        d.baseUrl(),
        d.displayName(),
        d.grantType(),
        d.authorizationUrl(),
        d.tokenUrl(),
        d.revocationUrl(),
        d.clientId(),
        p.clientSecretCiphertext != null,
        d.clientAuthMethod(),
        d.scopes(),
        d.defaultScopes(),
        d.redirectUri(),
        d.pkce(),
        d.minTokenRequestIntervalSeconds(),
        d.refreshAheadRatio(),
        d.keepAliveSeconds(),
        d.refreshTokenReuseGraceSeconds(),
        d.maxConcurrentRefreshes(),
        d.downscope(),
        d.issuer(),
        d.apiBaseUrl(),
        p.credentialsRejectedAt,
        p.registeredAt == null
            ? null
            : new Registration(p.clientId, p.registeredAt, p.clientSecretExpiresAt, p.discoveryUrl),
        p.createdAt,
        p.updatedAt);
  }
}
