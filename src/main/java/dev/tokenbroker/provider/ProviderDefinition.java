package dev.tokenbroker.provider;

import java.util.List;

/** A provider after its preset was applied and every field was checked. */
public record ProviderDefinition(
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
    String apiBaseUrl) {}
