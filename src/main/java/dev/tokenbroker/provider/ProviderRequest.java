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
    Integer refreshTokenReuseGraceSeconds) {

  /** Never print the client secret. */
  @Override
  public String toString() {
    return "ProviderRequest[preset=" + preset + ", clientId=" + clientId + "]";
  }
}
