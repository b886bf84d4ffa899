package dev.tokenbroker.provider;

import java.time.Instant;
import java.util.List;

/** A provider as the API shows it: never the client secret, only whether one is set. */
public record ProviderView(
    String id,
    Preset preset,
    String region,
    String baseUrl,
    String displayName,
    GrantType grantType,
    String authorizationUrl,
    String tokenUrl,
    String revocationUrl,
    String clientId,
    boolean clientSecretSet,
    ClientAuthMethod clientAuthMethod,
    List<String> scopes,
    List<String> defaultScopes,
    String redirectUri,
    PkceMethod pkce,
    int minTokenRequestIntervalSeconds,
    double refreshAheadRatio,
    Integer keepAliveSeconds,
    int refreshTokenReuseGraceSeconds,
    int maxConcurrentRefreshes,
    Instant credentialsRejectedAt,
    Registration registration,
    Instant createdAt,
    Instant updatedAt) {

  /**
   * How the broker registered itself at the host (RFC 7591); never the secret or the registration
   * access token. {@code clientSecretExpiresAt} is null when the secret does not expire.
   */
  public record Registration(
      String clientId, Instant registeredAt, Instant clientSecretExpiresAt, String discoveryUrl) {}

  static ProviderView of(ProviderEntity p) {
    return new ProviderView(
        p.id,
        Preset.fromJson(p.preset),
        p.region,
        p.baseUrl,
        p.displayName,
        p.grantType,
        p.authorizationUrl,
        p.tokenUrl,
        p.revocationUrl,
        p.clientId,
        p.clientSecretCiphertext != null,
        p.clientAuthMethod,
        Scopes.parse(p.scopes),
        Scopes.parse(p.defaultScopes),
        p.redirectUri,
        p.pkce,
        p.minTokenRequestIntervalSeconds,
        p.refreshAheadRatio,
        p.keepAliveSeconds,
        p.refreshTokenReuseGraceSeconds,
        p.maxConcurrentRefreshes,
        p.credentialsRejectedAt,
        p.registeredAt == null
            ? null
            : new Registration(p.clientId, p.registeredAt, p.clientSecretExpiresAt, p.discoveryUrl),
        p.createdAt,
        p.updatedAt);
  }
}
