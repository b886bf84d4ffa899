package dev.tokenbroker.provider;

import static dev.tokenbroker.api.ApiException.invalidRequest;

import dev.tokenbroker.api.ApiException;
import dev.tokenbroker.api.ProblemCodes;
import dev.tokenbroker.ops.BrokerConfig;
import dev.tokenbroker.outbound.OutboundPolicy;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/** Applies a preset to a PUT body and checks the result, naming the first bad field. */
@ApplicationScoped
public class ProviderDefinitions {

  public static final Pattern PROVIDER_ID = Pattern.compile("[a-z0-9-]{1,64}");
  static final double DEFAULT_REFRESH_AHEAD_RATIO = 0.75;
  private static final int MAX_KEEP_ALIVE_SECONDS = 366 * 24 * 3600;
  private static final int MAX_REUSE_GRACE_SECONDS = 3600;
  static final int DEFAULT_MAX_CONCURRENT_REFRESHES = 8;
  private static final int MAX_CONCURRENT_REFRESHES = 256;
  private static final Pattern PRINTABLE = Pattern.compile("[\\x20-\\x7E]+");

  private final BrokerConfig config;
  private final OutboundPolicy outbound;

  public ProviderDefinitions(BrokerConfig config, OutboundPolicy outbound) {
    this.config = config;
    this.outbound = outbound;
  }

  /** The checked definition; {@code secretKnown} says whether a client secret is stored. */
  public ProviderDefinition resolve(String id, ProviderRequest body, boolean secretKnown) {
    requireValidId(id);
    Preset preset = body.preset() == null ? Preset.GENERIC : body.preset();
    if (body.discoveryUrl() != null && !preset.registersDynamically()) {
      throw invalidRequest(
          "discovery_url", "goes with the badge-connect, open-badges-3 and clr-2 presets");
    }
    String region = region(preset, body.region());
    String baseUrl = body.baseUrl();
    if (baseUrl != null) {
      if (!PresetDefaults.takesBaseUrl(preset)) {
        throw invalidRequest("base_url", "the " + preset + " preset takes explicit endpoint URLs");
      }
      requireEndpoint("base_url", baseUrl, true);
      if (baseUrl.contains("?")) {
        throw invalidRequest("base_url", "must not contain a query");
      }
    }
    String authorizationBaseUrl = body.authorizationBaseUrl();
    if (authorizationBaseUrl != null) {
      if (baseUrl == null) {
        throw invalidRequest("authorization_base_url", "goes with base_url");
      }
      requireEndpoint("authorization_base_url", authorizationBaseUrl, true);
      if (authorizationBaseUrl.contains("?")) {
        throw invalidRequest("authorization_base_url", "must not contain a query");
      }
    }
    PresetDefaults defaults =
        PresetDefaults.of(preset, region == null ? "" : region, baseUrl, authorizationBaseUrl);

    GrantType grantType = first(body.grantType(), defaults.grantType());
    if (grantType == null) {
      throw invalidRequest("grant_type", "is required (authorization_code or client_credentials)");
    }
    String tokenUrl = first(body.tokenUrl(), defaults.tokenUrl());
    requireEndpoint("token_url", tokenUrl, true);
    String authorizationUrl = first(body.authorizationUrl(), defaults.authorizationUrl());
    requireEndpoint(
        "authorization_url", authorizationUrl, grantType == GrantType.AUTHORIZATION_CODE);
    requireEndpoint("revocation_url", body.revocationUrl(), false);

    String clientId = body.clientId();
    if (clientId == null || clientId.isBlank()) {
      throw invalidRequest("client_id", "is required");
    }
    if (clientId.length() > 512 || !PRINTABLE.matcher(clientId).matches()) {
      throw invalidRequest("client_id", "must be 1-512 printable ASCII characters");
    }
    if (body.clientSecret() != null
        && (body.clientSecret().isEmpty() || body.clientSecret().length() > 4096)) {
      throw invalidRequest("client_secret", "must be 1-4096 characters");
    }
    if (grantType == GrantType.CLIENT_CREDENTIALS && body.clientSecret() == null && !secretKnown) {
      throw invalidRequest("client_secret", "is required for client_credentials");
    }

    List<String> scopes = scopes("scopes", first(body.scopes(), defaults.scopes()));
    List<String> defaultScopes =
        scopes("default_scopes", first(body.defaultScopes(), defaults.defaultScopes()));
    List<String> unregistered = Scopes.uncovered(preset, defaultScopes, scopes);
    if (!scopes.isEmpty() && !unregistered.isEmpty()) {
      throw invalidRequest("default_scopes", "not among the registered scopes: " + unregistered);
    }

    String redirectUri =
        first(
            body.redirectUri(),
            UpstreamUrls.withoutTrailingSlash(config.publicUrl()) + "/v1/oauth/callback");
    if (grantType == GrantType.AUTHORIZATION_CODE) {
      UpstreamUrls.browserUrlProblem(redirectUri, defaults.httpsRedirectRequired())
          .ifPresent(
              p -> {
                throw invalidRequest("redirect_uri", p);
              });
    }

    int minInterval =
        first(body.minTokenRequestIntervalSeconds(), defaults.minTokenRequestIntervalSeconds());
    if (minInterval < 0 || minInterval > 3600) {
      throw invalidRequest("min_token_request_interval_seconds", "must be between 0 and 3600");
    }
    double ratio = first(body.refreshAheadRatio(), DEFAULT_REFRESH_AHEAD_RATIO);
    if (!(ratio >= 0.1 && ratio <= 0.95)) {
      throw invalidRequest("refresh_ahead_ratio", "must be between 0.1 and 0.95");
    }
    Integer keepAlive = body.keepAliveSeconds();
    if (keepAlive != null && (keepAlive < 60 || keepAlive > MAX_KEEP_ALIVE_SECONDS)) {
      throw invalidRequest(
          "keep_alive_seconds", "must be between 60 and " + MAX_KEEP_ALIVE_SECONDS + " (a year)");
    }
    int reuseGrace = first(body.refreshTokenReuseGraceSeconds(), 0);
    if (reuseGrace < 0 || reuseGrace > MAX_REUSE_GRACE_SECONDS) {
      throw invalidRequest(
          "refresh_token_reuse_grace_seconds", "must be between 0 and " + MAX_REUSE_GRACE_SECONDS);
    }
    int maxConcurrent = first(body.maxConcurrentRefreshes(), DEFAULT_MAX_CONCURRENT_REFRESHES);
    if (maxConcurrent < 1 || maxConcurrent > MAX_CONCURRENT_REFRESHES) {
      throw invalidRequest(
          "max_concurrent_refreshes", "must be between 1 and " + MAX_CONCURRENT_REFRESHES);
    }
    Downscope downscope = first(body.downscope(), Downscope.NONE);
    if (downscope == Downscope.REFRESH && grantType != GrantType.AUTHORIZATION_CODE) {
      throw invalidRequest("downscope", "refresh needs an authorization_code provider");
    }
    String issuer = body.issuer();
    if (issuer != null) {
      if (grantType != GrantType.AUTHORIZATION_CODE) {
        throw invalidRequest("issuer", "goes with an authorization_code provider");
      }
      UpstreamUrls.syntaxProblem(issuer)
          .ifPresent(
              p -> {
                throw invalidRequest("issuer", p);
              });
    }
    String apiBaseUrl =
        first(body.apiBaseUrl(), PresetDefaults.apiBaseUrl(preset, region, baseUrl));
    requireEndpoint("api_base_url", apiBaseUrl, false);
    if (apiBaseUrl != null && (apiBaseUrl.contains("?") || apiBaseUrl.contains("#"))) {
      throw invalidRequest("api_base_url", "must not contain a query or fragment");
    }
    String displayName = first(body.displayName(), id);
    if (displayName.isBlank() || displayName.length() > 200) {
      throw invalidRequest("display_name", "must be 1-200 characters");
    }
    return new ProviderDefinition(
        id,
        preset,
        region,
        baseUrl,
        displayName,
        grantType,
        authorizationUrl,
        tokenUrl,
        body.revocationUrl(),
        clientId,
        first(body.clientAuthMethod(), defaults.clientAuthMethod()),
        scopes,
        defaultScopes,
        grantType == GrantType.AUTHORIZATION_CODE ? redirectUri : null,
        first(body.pkce(), defaults.pkce()),
        minInterval,
        ratio,
        keepAlive,
        reuseGrace,
        maxConcurrent,
        downscope,
        issuer,
        apiBaseUrl == null ? null : UpstreamUrls.withoutTrailingSlash(apiBaseUrl));
  }

  public static void requireValidId(String id) {
    if (id == null || !PROVIDER_ID.matcher(id).matches()) {
      throw invalidRequest("provider_id", "must be 1-64 of [a-z0-9-]");
    }
  }

  private static String region(Preset preset, String requested) {
    List<String> known = PresetDefaults.REGIONS.get(preset);
    if (requested == null) {
      return PresetDefaults.defaultRegion(preset).orElse(null);
    }
    if (known == null) {
      throw invalidRequest("region", "the " + preset + " preset has no regions");
    }
    if (!known.contains(requested)) {
      throw invalidRequest("region", "must be one of " + known);
    }
    return requested;
  }

  /**
   * 400 naming {@code field} when {@code url} is missing but required, or when the outbound policy
   * refuses it ({@code url_not_allowed}).
   */
  public void requireEndpoint(String field, String url, boolean required) {
    if (url == null) {
      if (required) {
        throw invalidRequest(field, "is required for this preset, region and grant type");
      }
      return;
    }
    Optional<String> malformed = UpstreamUrls.syntaxProblem(url);
    if (malformed.isPresent()) {
      throw invalidRequest(field, malformed.get());
    }
    Optional<String> problem = outbound.urlProblem(url);
    if (problem.isPresent()) {
      throw ApiException.badField(ProblemCodes.URL_NOT_ALLOWED, field, problem.get());
    }
  }

  private static List<String> scopes(String field, List<String> scopes) {
    if (scopes.size() > 200) {
      throw invalidRequest(field, "at most 200 scopes");
    }
    for (String scope : scopes) {
      if (!Scopes.isValidToken(scope)) {
        throw invalidRequest(field, "contains an invalid scope (RFC 6749 §3.3 scope-token)");
      }
    }
    return List.copyOf(new java.util.LinkedHashSet<>(scopes));
  }

  private static <T> T first(T explicit, T fallback) {
    return explicit != null ? explicit : fallback;
  }
}
