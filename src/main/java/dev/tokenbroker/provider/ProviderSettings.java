package dev.tokenbroker.provider;

import java.util.List;

/** A provider as the broker uses it at run time, client secret decrypted (memory only). */
public record ProviderSettings(
    String id,
    long version,
    Preset preset,
    GrantType grantType,
    String authorizationUrl,
    String tokenUrl,
    String baseUrl,
    String revocationUrl,
    String clientId,
    String clientSecret,
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
    Downscope downscope,
    String issuer,
    String apiBaseUrl) {

  /** The subject of the single grant of a client_credentials provider. */
  public static final String CLIENT_SUBJECT = "_client";

  public boolean usesClientCredentials() {
    return grantType == GrantType.CLIENT_CREDENTIALS;
  }

  @Override
  public String toString() {
    return "ProviderSettings[" + id + " v" + version + ", " + grantType + ", " + tokenUrl + "]";
  }
}
