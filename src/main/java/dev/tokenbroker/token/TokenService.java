package dev.tokenbroker.token;

import dev.tokenbroker.api.ApiException;
import dev.tokenbroker.api.ProblemCodes;
import dev.tokenbroker.audit.AuditActions;
import dev.tokenbroker.audit.AuditEvent;
import dev.tokenbroker.audit.AuditLog;
import dev.tokenbroker.caller.AuthenticatedCaller;
import dev.tokenbroker.grant.GrantCache;
import dev.tokenbroker.grant.GrantSecrets;
import dev.tokenbroker.grant.GrantSnapshot;
import dev.tokenbroker.grant.GrantStatus;
import dev.tokenbroker.grant.GrantStore;
import dev.tokenbroker.grant.TokenWrite;
import dev.tokenbroker.ops.BrokerMetrics;
import dev.tokenbroker.provider.ProviderRegistry;
import dev.tokenbroker.provider.ProviderSettings;
import dev.tokenbroker.provider.Scopes;
import dev.tokenbroker.refresh.GrantRefresher;
import dev.tokenbroker.refresh.RefreshFailures;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Serves access tokens. A cached token that is valid long enough is served from memory alone;
 * otherwise the grant is refreshed through {@link GrantRefresher}.
 */
@ApplicationScoped
public class TokenService {

  private static final String NOT_ALLOWED = "Your allow rules do not cover this request";

  static final int DEFAULT_MIN_VALIDITY = 30;

  private final AuditLog audit;
  private final ProviderRegistry providers;
  private final GrantCache cache;
  private final GrantStore store;
  private final GrantSecrets secrets;
  private final GrantRefresher refresher;
  private final Clock clock;
  private final BrokerMetrics metrics;
  private final NarrowTokens narrowTokens;

  public TokenService(
      ProviderRegistry providers,
      GrantCache cache,
      GrantStore store,
      GrantSecrets secrets,
      GrantRefresher refresher,
      Clock clock,
      BrokerMetrics metrics,
      AuditLog audit,
      NarrowTokens narrowTokens) {
    this.audit = audit;
    this.providers = providers;
    this.cache = cache;
    this.store = store;
    this.secrets = secrets;
    this.refresher = refresher;
    this.clock = clock;
    this.metrics = metrics;
    this.narrowTokens = narrowTokens;
  }

  /** Serves a token and counts the outcome per provider. */
  public TokenResponse issue(AuthenticatedCaller caller, TokenRequest request) {
    return counted(caller, request, providers.find(request.providerId()), false);
  }

  /**
   * The token a proxied call carries upstream (DESIGN §6 API proxy): checked like a token request,
   * but never handed out, so neither counted nor audited as one; the proxy audits the call.
   */
  public TokenResponse forProxy(AuthenticatedCaller caller, TokenRequest request) {
    return serve(caller, request, providers.find(request.providerId()), false);
  }

  /**
   * {@link #forProxy} from memory alone (no database, no upstream, no blocking), for the request's
   * provider as the caller already found it in memory; empty when memory cannot serve it.
   */
  public Optional<TokenResponse> forProxyFromMemory(
      AuthenticatedCaller caller, ProviderSettings provider, TokenRequest request) {
    return Optional.ofNullable(serve(caller, request, Optional.of(provider), true));
  }

  /**
   * Serves a token from memory alone (no database, no upstream, no blocking), or empty when serving
   * it needs more; then {@link #issue} does, on a thread that may block.
   */
  public Optional<TokenResponse> issueFromMemory(AuthenticatedCaller caller, TokenRequest request) {
    Optional<ProviderSettings> provider = providers.findCached(request.providerId());
    if (provider.isEmpty()) {
      return Optional.empty();
    }
    return Optional.ofNullable(counted(caller, request, provider, true));
  }

  /** The response, or null when memory alone cannot answer and {@code memoryOnly} is set. */
  private TokenResponse counted(
      AuthenticatedCaller caller,
      TokenRequest request,
      Optional<ProviderSettings> provider,
      boolean memoryOnly) {
    String tag = provider.map(ProviderSettings::id).orElse("unknown");
    try {
      TokenResponse response = serve(caller, request, provider, memoryOnly);
      if (response == null) {
        return null;
      }
      metrics.tokenRequest(tag, "issued");
      audit.recordIssued(request.providerId(), response.grantId(), request.subject());
      return response;
    } catch (ApiException e) {
      metrics.tokenRequest(tag, e.code());
      audit.record(
          AuditEvent.of(AuditActions.TOKEN_ISSUED, e.code())
              .provider(request.providerId())
              .subject(request.subject()));
      throw e;
    }
  }

  private TokenResponse serve(
      AuthenticatedCaller caller,
      TokenRequest request,
      Optional<ProviderSettings> known,
      boolean memoryOnly) {
    List<String> requested = request.scopes() == null ? null : List.copyOf(request.scopes());
    if (requested != null && !requested.stream().allMatch(Scopes::isValidToken)) {
      throw ApiException.invalidRequest("scopes", "contains an invalid scope");
    }
    if (!caller.mayUseProvider(request.providerId())) {
      throw ApiException.forbidden(NOT_ALLOWED);
    }
    ProviderSettings provider = known.orElseThrow(() -> noGrant(request.providerId()));
    String subject = subject(provider, request.subject());
    if (!caller.mayUse(provider.id(), subject, requested == null ? List.of() : requested)) {
      throw ApiException.forbidden(NOT_ALLOWED);
    }
    Optional<GrantSnapshot> found =
        memoryOnly ? cache.findCached(provider.id(), subject) : grant(provider, subject);
    if (found.isEmpty() && memoryOnly) {
      return null;
    }
    GrantSnapshot grant = found.orElseThrow(() -> noGrant(provider.id()));
    if (grant.status() != GrantStatus.ACTIVE) {
      throw RefreshFailures.reauthorizationRequired(grant.id());
    }
    if (requested == null) {
      // served the grant's scopes, which the rules must allow (requested ones were checked above)
      if (!caller.mayUse(provider.id(), subject, grant.scopes())) {
        throw ApiException.forbidden(NOT_ALLOWED);
      }
    } else {
      List<String> missing =
          Scopes.uncovered(provider.definition().preset(), requested, grant.scopes());
      if (!missing.isEmpty()) {
        throw new ApiException(
            422,
            ProblemCodes.SCOPE_NOT_GRANTED,
            "The grant does not cover " + String.join(" ", missing));
      }
    }
    long minValidity =
        request.minValiditySeconds() == null ? DEFAULT_MIN_VALIDITY : request.minValiditySeconds();
    List<String> excess = caller.scopesNotAllowed(provider.id(), subject, servedScopes(grant));
    if (!excess.isEmpty()) {
      return narrowTokens.serve(
          caller, provider, subject, grant, requested, excess, request, minValidity, memoryOnly);
    }
    boolean rejected = grant.hasAccessToken(request.rejectedAccessToken());
    boolean fresh = !rejected && grant.satisfies(clock.instant(), minValidity);
    if (!fresh && memoryOnly) {
      return null;
    }
    if (rejected) {
      grant = refresher.refreshRejected(grant.id(), request.rejectedAccessToken(), minValidity);
    } else if (!fresh) {
      grant = refresher.refresh(grant.id(), minValidity, false);
    }
    if (rejected || !fresh) {
      excess = caller.scopesNotAllowed(provider.id(), subject, servedScopes(grant));
      if (!excess.isEmpty()) {
        return narrowTokens.serve(
            caller, provider, subject, grant, requested, excess, request, minValidity, false);
      }
    }
    return response(grant);
  }

  /** The scopes of the grant's access token: what serving it would hand out. */
  static List<String> servedScopes(GrantSnapshot grant) {
    return grant.accessTokenScope() != null
        ? Scopes.parse(grant.accessTokenScope())
        : grant.scopes();
  }

  private Optional<GrantSnapshot> grant(ProviderSettings provider, String subject) {
    return cache.get(provider.id(), subject, () -> load(provider, subject));
  }

  private Optional<GrantSnapshot> load(ProviderSettings provider, String subject) {
    Optional<GrantSnapshot> stored =
        store.findBySubject(provider.id(), subject).map(secrets::snapshot);
    if (stored.isEmpty() && provider.usesClientCredentials()) {
      stored = Optional.of(createClientGrant(provider));
    }
    return stored;
  }

  /** The single grant of a client_credentials provider, created on first use without tokens. */
  private GrantSnapshot createClientGrant(ProviderSettings provider) {
    List<String> scopes =
        provider.definition().defaultScopes().isEmpty()
            ? provider.definition().scopes()
            : provider.definition().defaultScopes();
    Instant now = clock.instant();
    try {
      return secrets.snapshot(
          store
              .upsert(
                  provider.id(),
                  ProviderSettings.CLIENT_SUBJECT,
                  scopes,
                  id -> new TokenWrite(null, null, null, null, null, now))
              .grant());
    } catch (RuntimeException raced) {
      return store
          .findBySubject(provider.id(), ProviderSettings.CLIENT_SUBJECT)
          .map(secrets::snapshot)
          .orElseThrow(() -> raced);
    }
  }

  private static String subject(ProviderSettings provider, String subject) {
    if (provider.usesClientCredentials()) {
      if (subject != null && !ProviderSettings.CLIENT_SUBJECT.equals(subject)) {
        throw ApiException.invalidRequest(
            "subject", "must be omitted for a client_credentials provider");
      }
      return ProviderSettings.CLIENT_SUBJECT;
    }
    if (subject == null) {
      throw ApiException.invalidRequest("subject", "is required for this provider");
    }
    return subject;
  }

  private TokenResponse response(GrantSnapshot grant) {
    Instant now = clock.instant();
    long expiresIn = Math.max(0, Duration.between(now, grant.accessTokenExpiresAt()).getSeconds());
    String scope = Scopes.join(servedScopes(grant));
    return new TokenResponse(
        grant.accessToken(), "Bearer", expiresIn, grant.accessTokenExpiresAt(), scope, grant.id());
  }

  private static ApiException noGrant(String providerId) {
    return ApiException.notFound(
        ProblemCodes.GRANT_NOT_FOUND, "No grant for this subject at provider " + providerId);
  }
}
