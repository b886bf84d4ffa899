package dev.tokenbroker.oauth;

import dev.tokenbroker.api.Syntax;
import dev.tokenbroker.caller.AuthenticatedCaller;
import dev.tokenbroker.caller.CallerRateLimiter;
import dev.tokenbroker.provider.ProviderRegistry;
import dev.tokenbroker.provider.ProviderSettings;
import dev.tokenbroker.provider.Scopes;
import dev.tokenbroker.token.TokenRequest;
import dev.tokenbroker.token.TokenResponse;
import dev.tokenbroker.token.TokenService;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Arrays;
import java.util.List;

/**
 * Turns an RFC 6749 / RFC 8693 token request into the request {@link TokenService} serves for
 * {@code POST /v1/tokens}, so that both front doors share caching, single-flight refresh, rate
 * limits, audit and metrics ({@link OAuthErrors} turns its problems into RFC 6749 errors).
 */
@ApplicationScoped
public class OAuthTokenEndpoint {

  static final String CLIENT_CREDENTIALS = "client_credentials";
  static final String TOKEN_EXCHANGE = "urn:ietf:params:oauth:grant-type:token-exchange";
  static final String PROVIDER_RESOURCE = "urn:token-broker:provider:";

  private final TokenService tokens;
  private final CallerRateLimiter rateLimiter;
  private final ProviderRegistry providers;
  private final SubjectTokens subjects;

  public OAuthTokenEndpoint(
      TokenService tokens,
      CallerRateLimiter rateLimiter,
      ProviderRegistry providers,
      SubjectTokens subjects) {
    this.tokens = tokens;
    this.rateLimiter = rateLimiter;
    this.providers = providers;
    this.subjects = subjects;
  }

  public OAuthTokenResponse token(AuthenticatedCaller caller, TokenEndpointForm form) {
    String grantType = form.required("grant_type");
    boolean exchange =
        switch (grantType) {
          case CLIENT_CREDENTIALS -> false;
          case TOKEN_EXCHANGE -> true;
          default ->
              throw OAuthError.badRequest(
                  OAuthError.UNSUPPORTED_GRANT_TYPE,
                  "grant_type must be " + CLIENT_CREDENTIALS + " or " + TOKEN_EXCHANGE);
        };
    ProviderSettings provider = target(caller, form);
    List<String> scopes = scopes(form.optional("scope"));
    String subject;
    if (exchange) {
      if (form.has("actor_token")) {
        throw OAuthError.invalidRequest("actor_token is not supported");
      }
      String requested = form.optional("requested_token_type");
      if (requested != null && !SubjectTokens.ACCESS_TOKEN_TYPE.equals(requested)) {
        throw OAuthError.invalidRequest(
            "requested_token_type must be " + SubjectTokens.ACCESS_TOKEN_TYPE);
      }
      subject =
          subjects.subject(form.required("subject_token"), form.required("subject_token_type"));
    } else {
      if (!provider.usesClientCredentials()) {
        throw OAuthError.badRequest(
            OAuthError.INVALID_TARGET,
            "Provider "
                + provider.id()
                + " issues tokens per subject: use "
                + TOKEN_EXCHANGE
                + " with a subject_token");
      }
      subject = null;
    }
    rateLimiter.admitTokenRequest(caller);
    TokenResponse token =
        tokens.issue(caller, new TokenRequest(provider.id(), subject, scopes, null, null));
    return new OAuthTokenResponse(
        token.accessToken(),
        exchange ? SubjectTokens.ACCESS_TOKEN_TYPE : null,
        token.tokenType(),
        token.expiresIn(),
        token.scope());
  }

  /** The provider named by {@code audience} or an RFC 8707 {@code resource}, if both agree. */
  private ProviderSettings target(AuthenticatedCaller caller, TokenEndpointForm form) {
    String audience = form.optional("audience");
    String resource = form.optional("resource");
    String fromResource = null;
    if (resource != null) {
      if (!resource.startsWith(PROVIDER_RESOURCE)) {
        throw OAuthError.badRequest(
            OAuthError.INVALID_TARGET, "resource must be " + PROVIDER_RESOURCE + "<provider_id>");
      }
      fromResource = resource.substring(PROVIDER_RESOURCE.length());
    }
    if (audience != null && fromResource != null && !audience.equals(fromResource)) {
      throw OAuthError.badRequest(
          OAuthError.INVALID_TARGET, "audience and resource name different providers");
    }
    String providerId = audience != null ? audience : fromResource;
    if (providerId == null) {
      throw OAuthError.invalidRequest(
          "audience (a provider id) or resource ("
              + PROVIDER_RESOURCE
              + "<provider_id>) is required");
    }
    if (!providerId.matches(Syntax.PROVIDER_ID)) {
      throw OAuthError.badRequest(OAuthError.INVALID_TARGET, "No provider " + providerId);
    }
    if (!caller.mayUseProvider(providerId)) {
      throw OAuthError.badRequest(
          OAuthError.INVALID_TARGET, "Your allow rules do not cover provider " + providerId);
    }
    return providers
        .find(providerId)
        .orElseThrow(
            () -> OAuthError.badRequest(OAuthError.INVALID_TARGET, "No provider " + providerId));
  }

  private static List<String> scopes(String scope) {
    if (scope == null) {
      return null;
    }
    List<String> scopes = Arrays.stream(scope.split(" ")).filter(s -> !s.isEmpty()).toList();
    if (scopes.isEmpty()
        || scopes.size() > 100
        || !scopes.stream().allMatch(Scopes::isValidToken)) {
      throw OAuthError.badRequest(OAuthError.INVALID_SCOPE, "scope is not a valid scope list");
    }
    return scopes;
  }
}
