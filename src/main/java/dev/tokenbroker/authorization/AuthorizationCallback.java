package dev.tokenbroker.authorization;

import dev.tokenbroker.api.Ids;
import dev.tokenbroker.audit.AuditActions;
import dev.tokenbroker.audit.AuditEvent;
import dev.tokenbroker.audit.AuditLog;
import dev.tokenbroker.grant.GrantEntity;
import dev.tokenbroker.grant.GrantStore;
import dev.tokenbroker.provider.ProviderRegistry;
import dev.tokenbroker.provider.ProviderSettings;
import dev.tokenbroker.upstream.IssuedTokens;
import dev.tokenbroker.upstream.OAuthErrorCodes;
import dev.tokenbroker.upstream.UpstreamException;
import dev.tokenbroker.upstream.UpstreamTokenClient;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.util.regex.Pattern;
import org.jboss.logging.Logger;

/**
 * The browser's return from the provider: checks the state and the issuer, exchanges the code, and
 * holds the tokens for the app's confirmation (or, for a flow without a return URL where that is
 * allowed, stores the grant at once).
 */
@ApplicationScoped
public class AuthorizationCallback {

  private static final Logger LOG = Logger.getLogger(AuthorizationCallback.class);
  private static final Pattern ERROR_CODE = Pattern.compile("[a-z_]{1,64}");

  private final AuthorizationRequests requests;
  private final PendingTokens secrets;
  private final AuthorizedGrants authorizedGrants;
  private final GrantStore grants;
  private final ProviderRegistry providers;
  private final UpstreamTokenClient upstream;
  private final AuthorizationConfig config;
  private final AuditLog audit;
  private final Clock clock;

  public AuthorizationCallback(
      AuthorizationRequests requests,
      PendingTokens secrets,
      AuthorizedGrants authorizedGrants,
      GrantStore grants,
      ProviderRegistry providers,
      UpstreamTokenClient upstream,
      AuthorizationConfig config,
      AuditLog audit,
      Clock clock) {
    this.requests = requests;
    this.secrets = secrets;
    this.authorizedGrants = authorizedGrants;
    this.grants = grants;
    this.providers = providers;
    this.upstream = upstream;
    this.config = config;
    this.audit = audit;
    this.clock = clock;
  }

  /** Never throws for upstream trouble; an unknown, used or expired state is 400. */
  public CallbackOutcome complete(String code, String state, String error, String iss) {
    AuthorizationRequestEntity request = requests.consume(state);
    CallbackOutcome outcome = finish(request, code, error, iss);
    audit.record(
        AuditEvent.of(
                AuditActions.AUTHORIZATION_COMPLETED,
                outcome.error() == null ? outcome.status() : outcome.error())
            .actor(request.callerId)
            .provider(request.providerId)
            .subject(request.subject)
            .grant(outcome.grantId()));
    return outcome;
  }

  private CallbackOutcome finish(
      AuthorizationRequestEntity request, String code, String error, String iss) {
    if (error != null) {
      String reason = ERROR_CODE.matcher(error).matches() ? error : "invalid_request";
      LOG.infof("Authorization at %s ended with %s", request.providerId, reason);
      return OAuthErrorCodes.ACCESS_DENIED.equals(reason)
          ? CallbackOutcome.denied(request.returnUrl)
          : CallbackOutcome.failed(request.returnUrl, reason);
    }
    if (code == null || code.isBlank() || code.length() > 4096) {
      return CallbackOutcome.failed(request.returnUrl, "invalid_request");
    }
    ProviderSettings provider = providers.find(request.providerId).orElse(null);
    if (provider == null) {
      return CallbackOutcome.failed(request.returnUrl, "provider_not_found");
    }
    if (provider.definition().issuer() != null && !provider.definition().issuer().equals(iss)) {
      // RFC 9207 §2.4: a response from another server (mix-up) is never redeemed
      LOG.warnf(
          "Authorization response for provider %s %s iss; the code was not exchanged",
          provider.id(), iss == null ? "without" : "with a different");
      return CallbackOutcome.failed(request.returnUrl, "issuer_mismatch");
    }
    IssuedTokens tokens;
    try {
      tokens = upstream.exchangeCode(provider, code, secrets.openVerifier(request));
    } catch (UpstreamException e) {
      LOG.warnf(
          "Code exchange at provider %s failed: %s (status %d)",
          provider.id(), e.errorCode(), e.status());
      return CallbackOutcome.failed(request.returnUrl, e.errorCode());
    }
    if (request.returnUrl == null) {
      GrantStore.Upserted stored =
          authorizedGrants.write(provider, request.subject, request.scopes, tokens, null);
      authorizedGrants.written(provider, stored);
      LOG.warnf(
          "Grant %s of provider %s was stored without an app confirming its subject"
              + " (broker.authorization.allow-unconfirmed)",
          stored.grant().id, provider.id());
      return CallbackOutcome.connected(null, stored.grant().id, null);
    }
    return holdForConfirmation(request, provider, tokens);
  }

  private CallbackOutcome holdForConfirmation(
      AuthorizationRequestEntity request, ProviderSettings provider, IssuedTokens tokens) {
    String grantId =
        grants
            .findBySubject(provider.id(), request.subject)
            .map((GrantEntity g) -> g.id)
            .orElseGet(() -> Ids.newId("grt"));
    String confirmation = Pkce.randomToken();
    requests.holdForConfirmation(
        request.stateSha256,
        grantId,
        AuthorizationRequests.hash(confirmation),
        secrets.seal(request.stateSha256, tokens),
        clock.instant().plus(config.confirmationLifetime()));
    LOG.infof(
        "Authorization for grant %s at provider %s waits for the confirmation of caller %s",
        grantId, provider.id(), request.callerId);
    return CallbackOutcome.connected(request.returnUrl, grantId, confirmation);
  }
}
