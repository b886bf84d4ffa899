package dev.tokenbroker.provider;

import dev.tokenbroker.api.Syntax;
import jakarta.validation.constraints.Pattern;
import java.util.List;

/**
 * Body of {@code PUT /v1/providers/{id}}. Everything is optional here; {@link ProviderDefinitions}
 * applies the preset and then checks what the grant type requires.
 */
public record ProviderRequest(
    Preset preset,
    @Pattern(regexp = Syntax.NO_CONTROL, message = Syntax.NO_CONTROL_RULE) String region,
    String baseUrl,
    String authorizationBaseUrl,
    @Pattern(regexp = Syntax.NO_CONTROL, message = Syntax.NO_CONTROL_RULE) String displayName,
    GrantType grantType,
    String authorizationUrl,
    String tokenUrl,
    String revocationUrl,
    @Pattern(regexp = Syntax.NO_CONTROL, message = Syntax.NO_CONTROL_RULE) String clientId,
    @Pattern(regexp = Syntax.NO_CONTROL, message = Syntax.NO_CONTROL_RULE) String clientSecret,
    ClientAuthMethod clientAuthMethod,
    List<String> scopes,
    List<String> defaultScopes,
    String redirectUri,
    PkceMethod pkce,
    Integer minTokenRequestIntervalSeconds,
    Double refreshAheadRatio,
    Integer keepAliveSeconds,
    Integer refreshTokenReuseGraceSeconds,
    Integer maxConcurrentRefreshes,
    String discoveryUrl) {

  /** The same request with the endpoints and client a host's registration supplied. */
  public ProviderRequest registered(
      String authorizationUrl,
      String tokenUrl,
      String revocationUrl,
      String clientId,
      String clientSecret,
      List<String> scopes,
      List<String> defaultScopes) {
    return new ProviderRequest(
        preset,
        null,
        null,
        null,
        displayName,
        GrantType.AUTHORIZATION_CODE,
        authorizationUrl,
        tokenUrl,
        revocationUrl,
        clientId,
        clientSecret,
        ClientAuthMethod.CLIENT_SECRET_BASIC,
        scopes,
        defaultScopes,
        redirectUri,
        PkceMethod.S256,
        minTokenRequestIntervalSeconds,
        refreshAheadRatio,
        keepAliveSeconds,
        refreshTokenReuseGraceSeconds,
        maxConcurrentRefreshes,
        discoveryUrl);
  }

  /** Never print the client secret. */
  @Override
  public String toString() {
    return "ProviderRequest[preset=" + preset + ", clientId=" + clientId + "]";
  }
}
