package dev.tokenbroker.authorization;

import dev.tokenbroker.api.ApiException;
import dev.tokenbroker.api.ProblemCodes;
import dev.tokenbroker.audit.AuditActions;
import dev.tokenbroker.audit.AuditEvent;
import dev.tokenbroker.audit.AuditLog;
import dev.tokenbroker.caller.AuthenticatedCaller;
import dev.tokenbroker.ops.BrokerConfig;
import dev.tokenbroker.provider.GrantType;
import dev.tokenbroker.provider.PkceMethod;
import dev.tokenbroker.provider.ProviderRegistry;
import dev.tokenbroker.provider.ProviderSettings;
import dev.tokenbroker.provider.Scopes;
import dev.tokenbroker.provider.UpstreamUrls;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.Response.Status;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * Starts the authorization-code flow (RFC 6749 §4.1 with RFC 7636 PKCE): checks what the caller may
 * ask for, stores a single-use state and builds the authorization URL.
 */
@ApplicationScoped
public class AuthorizationStarter {

  static final Duration STATE_LIFETIME = Duration.ofMinutes(10);
  private static final String NOT_ALLOWED = "Your allow rules do not cover this request";
  private static final Logger LOG = Logger.getLogger(AuthorizationStarter.class);

  private final ProviderRegistry providers;
  private final AuthorizationRequests requests;
  private final PendingTokens secrets;
  private final BrokerConfig config;
  private final AuthorizationConfig authorizationConfig;
  private final AuditLog audit;
  private final Clock clock;

  public AuthorizationStarter(
      ProviderRegistry providers,
      AuthorizationRequests requests,
      PendingTokens secrets,
      BrokerConfig config,
      AuthorizationConfig authorizationConfig,
      AuditLog audit,
      Clock clock) {
    this.providers = providers;
    this.requests = requests;
    this.secrets = secrets;
    this.config = config;
    this.authorizationConfig = authorizationConfig;
    this.audit = audit;
    this.clock = clock;
  }

  public AuthorizationStarted start(
      AuthenticatedCaller caller, String providerId, AuthorizationStart body) {
    if (!caller.mayUseProvider(providerId)) {
      throw ApiException.forbidden(NOT_ALLOWED);
    }
    ProviderSettings provider = providers.require(providerId);
    if (provider.definition().grantType() != GrantType.AUTHORIZATION_CODE) {
      throw ApiException.invalidRequest(
          "provider_id", "provider " + providerId + " uses client_credentials, not authorizations");
    }
    List<String> scopes =
        body.scopes() == null ? provider.definition().defaultScopes() : body.scopes();
    if (!scopes.stream().allMatch(Scopes::isValidToken)) {
      throw ApiException.invalidRequest("scopes", "contains an invalid scope");
    }
    List<String> unregistered =
        Scopes.uncovered(provider.definition().preset(), scopes, provider.definition().scopes());
    if (!provider.definition().scopes().isEmpty() && !unregistered.isEmpty()) {
      throw ApiException.invalidRequest(
          "scopes", "not registered for this provider: " + unregistered);
    }
    if (!caller.mayUse(providerId, body.subject(), scopes)) {
      throw ApiException.forbidden(NOT_ALLOWED);
    }
    checkReturnUrl(body.returnUrl());

    String state = Pkce.randomToken();
    String stateHash = AuthorizationRequests.hash(state);
    String verifier = provider.definition().pkce() == PkceMethod.S256 ? Pkce.randomToken() : null;
    Instant now = clock.instant();
    AuthorizationRequestEntity request = new AuthorizationRequestEntity();
    request.stateSha256 = stateHash;
    request.providerId = providerId;
    request.subject = body.subject();
    request.scopes = Scopes.join(scopes);
    request.returnUrl = body.returnUrl();
    request.codeVerifierCiphertext =
        verifier == null ? null : secrets.sealVerifier(stateHash, verifier);
    request.callerId = caller.id();
    request.createdAt = now;
    request.expiresAt = now.plus(STATE_LIFETIME);
    requests.save(request);

    Map<String, String> params = new LinkedHashMap<>();
    params.put("response_type", "code");
    params.put("client_id", provider.definition().clientId());
    params.put("redirect_uri", provider.definition().redirectUri());
    if (!scopes.isEmpty()) {
      params.put("scope", Scopes.join(scopes));
    }
    params.put("state", state);
    if (verifier != null) {
      params.put("code_challenge", Pkce.s256Challenge(verifier));
      params.put("code_challenge_method", "S256");
    }
    LOG.infof("Caller %s started an authorization at provider %s", caller.id(), providerId);
    audit.record(
        AuditEvent.success(AuditActions.AUTHORIZATION_STARTED)
            .provider(providerId)
            .subject(body.subject()));
    return new AuthorizationStarted(
        QueryString.append(provider.definition().authorizationUrl(), params),
        state,
        request.expiresAt);
  }

  private void checkReturnUrl(String returnUrl) {
    if (returnUrl == null) {
      if (!authorizationConfig.allowUnconfirmed()) {
        throw new ApiException(
            Status.BAD_REQUEST,
            ProblemCodes.RETURN_URL_REQUIRED,
            "A return_url is required: the app that starts an authorization confirms its subject"
                + " there (POST /v1/authorizations/confirm)");
      }
      return;
    }
    UpstreamUrls.browserUrlProblem(returnUrl, false)
        .ifPresent(
            p -> {
              throw ApiException.invalidRequest("return_url", p);
            });
    List<String> allowed = config.allowedReturnUrls().orElse(List.of());
    if (allowed.stream().noneMatch(returnUrl::startsWith)) {
      throw ApiException.invalidRequest(
          "return_url", "does not start with any of broker.allowed-return-urls");
    }
  }
}
