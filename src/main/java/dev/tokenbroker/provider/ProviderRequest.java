package dev.tokenbroker.provider;

import dev.tokenbroker.api.Syntax;
import jakarta.validation.constraints.Pattern;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * Body of {@code PUT /v1/providers/{id}}. Everything is optional here; {@link ProviderDefinitions}
 * applies the preset and then checks what the grant type requires.
 */
public record ProviderRequest(
    Preset preset,
    @Schema(examples = "us") @Pattern(regexp = Syntax.NO_CONTROL, message = Syntax.NO_CONTROL_RULE)
        String region,
    String baseUrl,
    String authorizationBaseUrl,
    @Schema(examples = "Badgr (US)")
        @Pattern(regexp = Syntax.NO_CONTROL, message = Syntax.NO_CONTROL_RULE)
        String displayName,
    GrantType grantType,
    String authorizationUrl,
    @Schema(examples = "https://api.badgr.io/o/token") String tokenUrl,
    String revocationUrl,
    @Schema(examples = "broker-client")
        @Pattern(regexp = Syntax.NO_CONTROL, message = Syntax.NO_CONTROL_RULE)
        String clientId,
    @Schema(description = "write-only: never returned", writeOnly = true)
        @Pattern(regexp = Syntax.NO_CONTROL, message = Syntax.NO_CONTROL_RULE)
        String clientSecret,
    ClientAuthMethod clientAuthMethod,
    @Schema(examples = "[\"r:profile\", \"r:backpack\", \"rw:backpack\"]") List<String> scopes,
    @Schema(examples = "[\"r:profile\"]") List<String> defaultScopes,
    String redirectUri,
    PkceMethod pkce,
    @Schema(examples = "10") Integer minTokenRequestIntervalSeconds,
    @Schema(examples = "0.75") Double refreshAheadRatio,
    Integer keepAliveSeconds,
    Integer refreshTokenReuseGraceSeconds,
    @Schema(examples = "8", defaultValue = "8") Integer maxConcurrentRefreshes,
    @Schema(examples = "https://host.example/ims/ob/v3p0/discovery") String discoveryUrl,
    @Schema(examples = "none", defaultValue = "none") Downscope downscope,
    @Schema(
            description =
                "RFC 9207 issuer identifier: when set, authorization responses must carry it as iss",
            examples = "https://idp.example.com")
        String issuer,
    @Schema(
            description =
                "Base URL of the platform's API that /v1/proxy/{provider_id}/{path} calls go to",
            examples = "https://api.badgr.io")
        String apiBaseUrl) {

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
        discoveryUrl,
        downscope,
        issuer,
        apiBaseUrl);
  }

  /** Never print the client secret. */
  @Override
  public String toString() {
    return "ProviderRequest[preset=" + preset + ", clientId=" + clientId + "]";
  }
}
