package dev.tokenbroker.provider;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a preset fills in, per region, from the platforms' own documentation. A region whose domains
 * are not publicly documented fills nothing: its URLs must be given explicitly, or a {@code
 * base_url} to which the preset appends the platform's documented paths.
 */
public record PresetDefaults(
    GrantType grantType,
    String authorizationUrl,
    String tokenUrl,
    ClientAuthMethod clientAuthMethod,
    List<String> scopes,
    List<String> defaultScopes,
    PkceMethod pkce,
    int minTokenRequestIntervalSeconds,
    boolean httpsRedirectRequired) {

  private static final List<String> BADGR_SCOPES =
      List.of("r:profile", "r:issuer", "rw:issuer", "r:backpack", "rw:backpack");
  private static final List<String> PARCHMENT_SCOPES =
      List.of("r:profile", "r:issuer", "rw:issuer", "r:backpack", "rw:backpack", "r:org", "rw:org");

  /** Regions each preset accepts, with the region used when none is given. */
  static final Map<Preset, List<String>> REGIONS =
      Map.of(
          Preset.BADGR, List.of("us", "test", "au", "ca", "eu"),
          Preset.PARCHMENT, List.of("us", "test", "au", "ca", "eu", "sg"),
          Preset.OPEN_BADGE_FACTORY, List.of("openbadgefactory", "cancred"));

  static Optional<String> defaultRegion(Preset preset) {
    return Optional.ofNullable(REGIONS.get(preset)).map(r -> r.get(0));
  }

  /** Documented paths per preset, appended to a base URL (authorization path, token path). */
  private static final Map<Preset, List<String>> PATHS =
      Map.of(
          Preset.BADGR, List.of("/auth/oauth2/authorize", "/o/token"),
          Preset.PARCHMENT, List.of("/auth/oauth2/authorize", "/o/token"),
          Preset.BRIGHTSPACE, List.of("/oauth2/auth", "/core/connect/token"),
          Preset.OPEN_BADGE_FACTORY, List.of("", "/v2/client/oauth2/token"));

  static boolean takesBaseUrl(Preset preset) {
    return PATHS.containsKey(preset);
  }

  /**
   * The preset's defaults for a region; a base URL replaces the region's endpoints. Badgr and
   * Parchment give each region a UI domain (authorize) and an API domain (token): the authorization
   * base is {@code authorizationBaseUrl}, or else the API host without its {@code api.} (as in the
   * documented {@code test.badgr.com} / {@code api.test.badgr.com}).
   */
  static PresetDefaults of(
      Preset preset, String region, String baseUrl, String authorizationBaseUrl) {
    PresetDefaults defaults = of(preset, region);
    if (baseUrl == null || !takesBaseUrl(preset)) {
      return defaults;
    }
    String base = UpstreamUrls.withoutTrailingSlash(baseUrl);
    String uiBase =
        authorizationBaseUrl != null
            ? UpstreamUrls.withoutTrailingSlash(authorizationBaseUrl)
            : uiDomainOf(preset, base);
    List<String> paths = PATHS.get(preset);
    return new PresetDefaults(
        defaults.grantType,
        defaults.grantType == GrantType.AUTHORIZATION_CODE ? uiBase + paths.get(0) : null,
        base + paths.get(1),
        defaults.clientAuthMethod,
        defaults.scopes,
        defaults.defaultScopes,
        defaults.pkce,
        defaults.minTokenRequestIntervalSeconds,
        defaults.httpsRedirectRequired);
  }

  /**
   * The documented API base of a preset's region, which proxied calls go to (DESIGN §6 API proxy);
   * null where none is documented: Brightspace's is the tenant's {@code https://<host>/d2l/api},
   * and badge hosts and generic servers name their own.
   */
  static String apiBaseUrl(Preset preset, String region, String baseUrl) {
    String base = baseUrl == null ? null : UpstreamUrls.withoutTrailingSlash(baseUrl);
    return switch (preset) {
      case BADGR ->
          base != null
              ? base
              : switch (region == null ? "" : region) {
                case "us" -> "https://api.badgr.io";
                case "test" -> "https://api.test.badgr.com";
                default -> null;
              };
      case PARCHMENT ->
          base != null
              ? base
              : "test".equals(region) ? "https://api.test.badges.parchment.com" : null;
      case OPEN_BADGE_FACTORY ->
          (base != null
                  ? base
                  : "https://"
                      + ("cancred".equals(region) ? "factory.cancred.ca" : "openbadgefactory.com"))
              + "/v2";
      default -> null;
    };
  }

  private static String uiDomainOf(Preset preset, String apiBase) {
    if (preset != Preset.BADGR && preset != Preset.PARCHMENT) {
      return apiBase;
    }
    return apiBase.replaceFirst("^(https?://)api\\.", "$1");
  }

  static PresetDefaults of(Preset preset, String region) {
    return switch (preset) {
      case BADGR ->
          switch (region) {
            case "us" ->
                badge(
                    "https://badgr.com/auth/oauth2/authorize",
                    "https://api.badgr.io/o/token",
                    BADGR_SCOPES,
                    true);
            case "test" ->
                badge(
                    "https://test.badgr.com/auth/oauth2/authorize",
                    "https://api.test.badgr.com/o/token",
                    BADGR_SCOPES,
                    false);
            default -> badge(null, null, BADGR_SCOPES, true);
          };
      case PARCHMENT ->
          switch (region) {
            case "test" ->
                badge(
                    "https://test.badges.parchment.com/auth/oauth2/authorize",
                    "https://api.test.badges.parchment.com/o/token",
                    PARCHMENT_SCOPES,
                    false);
            default -> badge(null, null, PARCHMENT_SCOPES, true);
          };
      case BRIGHTSPACE ->
          new PresetDefaults(
              GrantType.AUTHORIZATION_CODE,
              "https://auth.brightspace.com/oauth2/auth",
              "https://auth.brightspace.com/core/connect/token",
              ClientAuthMethod.CLIENT_SECRET_POST,
              List.of(),
              List.of("core:*:*"),
              PkceMethod.S256,
              0,
              false);
      case OPEN_BADGE_FACTORY ->
          new PresetDefaults(
              GrantType.CLIENT_CREDENTIALS,
              null,
              "https://"
                  + ("cancred".equals(region) ? "factory.cancred.ca" : "openbadgefactory.com")
                  + "/v2/client/oauth2/token",
              ClientAuthMethod.CLIENT_SECRET_POST,
              List.of(),
              List.of(),
              PkceMethod.NONE,
              10,
              false);
      case BADGE_CONNECT, OPEN_BADGES_3, CLR_2 ->
          // the endpoints come from the host's discovery document; PKCE S256 and
          // client_secret_basic are what these specifications allow
          new PresetDefaults(
              GrantType.AUTHORIZATION_CODE,
              null,
              null,
              ClientAuthMethod.CLIENT_SECRET_BASIC,
              List.of(),
              List.of(),
              PkceMethod.S256,
              0,
              false);
      case GENERIC ->
          new PresetDefaults(
              null,
              null,
              null,
              ClientAuthMethod.CLIENT_SECRET_BASIC,
              List.of(),
              List.of(),
              PkceMethod.S256,
              0,
              false);
    };
  }

  private static PresetDefaults badge(
      String authorize, String token, List<String> scopes, boolean httpsRedirect) {
    return new PresetDefaults(
        GrantType.AUTHORIZATION_CODE,
        authorize,
        token,
        ClientAuthMethod.CLIENT_SECRET_POST,
        scopes,
        List.of("r:profile"),
        PkceMethod.S256,
        0,
        httpsRedirect);
  }
}
