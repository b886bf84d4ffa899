package dev.tokenbroker.authorization;

import dev.tokenbroker.api.ApiException;
import dev.tokenbroker.api.ProblemCodes;
import dev.tokenbroker.audit.AuditActions;
import dev.tokenbroker.audit.AuditEvent;
import dev.tokenbroker.audit.AuditLog;
import dev.tokenbroker.caller.AuthenticatedCaller;
import dev.tokenbroker.crypto.SecretBinding;
import dev.tokenbroker.crypto.SecretCipher;
import dev.tokenbroker.grant.GrantCache;
import dev.tokenbroker.grant.GrantEntity;
import dev.tokenbroker.grant.GrantSecrets;
import dev.tokenbroker.grant.GrantStore;
import dev.tokenbroker.grant.RefreshTokenRevoker;
import dev.tokenbroker.grant.TokenWrite;
import dev.tokenbroker.ops.BrokerConfig;
import dev.tokenbroker.provider.GrantType;
import dev.tokenbroker.provider.PkceMethod;
import dev.tokenbroker.provider.ProviderRegistry;
import dev.tokenbroker.provider.ProviderSettings;
import dev.tokenbroker.provider.Scopes;
import dev.tokenbroker.provider.UpstreamUrls;
import dev.tokenbroker.refresh.RefreshConfig;
import dev.tokenbroker.refresh.RefreshSchedule;
import dev.tokenbroker.upstream.IssuedTokens;
import dev.tokenbroker.upstream.OAuthErrorCodes;
import dev.tokenbroker.upstream.UpstreamException;
import dev.tokenbroker.upstream.UpstreamTokenClient;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.core.Response.Status;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;

/**
 * The authorization-code flow (RFC 6749 §4.1 with RFC 7636 PKCE): builds the authorization URL with
 * a single-use state, then exchanges the returned code and stores the grant.
 */
@ApplicationScoped
public class AuthorizationService {

  private static final String NOT_ALLOWED = "Your allow rules do not cover this request";

  static final Duration STATE_LIFETIME = Duration.ofMinutes(10);
  private static final Logger LOG = Logger.getLogger(AuthorizationService.class);
  private static final Pattern ERROR_CODE = Pattern.compile("[a-z_]{1,64}");

  private final AuditLog audit;
  private final EntityManager em;
  private final ProviderRegistry providers;
  private final SecretCipher cipher;
  private final GrantStore grants;
  private final GrantSecrets grantSecrets;
  private final GrantCache cache;
  private final UpstreamTokenClient upstream;
  private final RefreshTokenRevoker revoker;
  private final BrokerConfig config;
  private final RefreshConfig refreshConfig;
  private final Clock clock;

  public AuthorizationService(
      EntityManager em,
      ProviderRegistry providers,
      SecretCipher cipher,
      GrantStore grants,
      GrantSecrets grantSecrets,
      GrantCache cache,
      UpstreamTokenClient upstream,
      RefreshTokenRevoker revoker,
      BrokerConfig config,
      RefreshConfig refreshConfig,
      Clock clock,
      AuditLog audit) {
    this.audit = audit;
    this.em = em;
    this.providers = providers;
    this.cipher = cipher;
    this.grants = grants;
    this.grantSecrets = grantSecrets;
    this.cache = cache;
    this.upstream = upstream;
    this.revoker = revoker;
    this.config = config;
    this.refreshConfig = refreshConfig;
    this.clock = clock;
  }

  @Transactional
  public AuthorizationStarted start(
      AuthenticatedCaller caller, String providerId, AuthorizationStart body) {
    if (!caller.mayUseProvider(providerId)) {
      throw ApiException.forbidden(NOT_ALLOWED);
    }
    ProviderSettings provider = providers.require(providerId);
    if (provider.grantType() != GrantType.AUTHORIZATION_CODE) {
      throw ApiException.invalidRequest(
          "provider_id", "provider " + providerId + " uses client_credentials, not authorizations");
    }
    List<String> scopes = body.scopes() == null ? provider.defaultScopes() : body.scopes();
    if (!scopes.stream().allMatch(Scopes::isValidToken)) {
      throw ApiException.invalidRequest("scopes", "contains an invalid scope");
    }
    List<String> unregistered = Scopes.uncovered(provider.preset(), scopes, provider.scopes());
    if (!provider.scopes().isEmpty() && !unregistered.isEmpty()) {
      throw ApiException.invalidRequest(
          "scopes", "not registered for this provider: " + unregistered);
    }
    if (!caller.mayUse(providerId, body.subject(), scopes)) {
      throw ApiException.forbidden(NOT_ALLOWED);
    }
    checkReturnUrl(body.returnUrl());

    String state = Pkce.randomToken();
    String stateHash = hash(state);
    String verifier = provider.pkce() == PkceMethod.S256 ? Pkce.randomToken() : null;
    Instant now = clock.instant();
    AuthorizationRequestEntity request = new AuthorizationRequestEntity();
    request.stateSha256 = stateHash;
    request.providerId = providerId;
    request.subject = body.subject();
    request.scopes = Scopes.join(scopes);
    request.returnUrl = body.returnUrl();
    request.codeVerifierCiphertext =
        verifier == null ? null : cipher.encrypt(verifier, verifierBinding(stateHash));
    request.callerId = caller.id();
    request.createdAt = now;
    request.expiresAt = now.plus(STATE_LIFETIME);
    em.persist(request);

    Map<String, String> params = new LinkedHashMap<>();
    params.put("response_type", "code");
    params.put("client_id", provider.clientId());
    params.put("redirect_uri", provider.redirectUri());
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
        appendQuery(provider.authorizationUrl(), params), state, request.expiresAt);
  }

  /** Handles the browser's return from the provider; never throws for upstream trouble. */
  public CallbackOutcome complete(String code, String state, String error, String iss) {
    AuthorizationRequestEntity request = consume(state);
    CallbackOutcome outcome = exchange(request, code, error, iss);
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

  private CallbackOutcome exchange(
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
    if (provider.issuer() != null && !provider.issuer().equals(iss)) {
      // RFC 9207 §2.4: a response from another server (mix-up) is never redeemed
      LOG.warnf(
          "Authorization response for provider %s %s iss; the code was not exchanged",
          provider.id(), iss == null ? "without" : "with a different");
      return CallbackOutcome.failed(request.returnUrl, "issuer_mismatch");
    }
    IssuedTokens tokens;
    try {
      String verifier =
          request.codeVerifierCiphertext == null
              ? null
              : cipher.decrypt(
                  request.codeVerifierCiphertext, verifierBinding(request.stateSha256));
      tokens = upstream.exchangeCode(provider, code, verifier);
    } catch (UpstreamException e) {
      LOG.warnf(
          "Code exchange at provider %s failed: %s (status %d)",
          provider.id(), e.errorCode(), e.status());
      return CallbackOutcome.failed(request.returnUrl, e.errorCode());
    }
    List<String> granted =
        tokens.scope() != null ? Scopes.parse(tokens.scope()) : Scopes.parse(request.scopes);
    GrantStore.Upserted stored =
        grants.upsert(
            provider.id(),
            request.subject,
            granted,
            id -> {
              GrantSecrets.Sealed sealed =
                  grantSecrets.seal(id, tokens.accessToken(), tokens.refreshToken());
              return new TokenWrite(
                  sealed.accessToken(),
                  sealed.refreshToken(),
                  Scopes.join(granted),
                  tokens.issuedAt(),
                  tokens.expiresAt(),
                  RefreshSchedule.nextRefreshAt(
                      provider,
                      tokens.issuedAt(),
                      tokens.expiresAt(),
                      tokens.refreshToken() != null,
                      refreshConfig.jitter(),
                      ThreadLocalRandom.current()));
            });
    GrantEntity grant = stored.grant();
    cache.evict(provider.id(), request.subject);
    if (stored.replacedRefreshTokenCiphertext() != null) {
      // the new refresh token is stored: the one it replaced must not stay valid upstream
      revoker.revoke(
          provider,
          grant.id,
          grantSecrets.openRefreshToken(grant.id, stored.replacedRefreshTokenCiphertext()));
    }
    LOG.infof("Stored grant %s for provider %s after authorization", grant.id, provider.id());
    return CallbackOutcome.connected(request.returnUrl, grant.id);
  }

  /** Marks the state used, atomically; unknown, used or expired state is 400 invalid_state. */
  @Transactional
  AuthorizationRequestEntity consume(String state) {
    if (state == null || state.isBlank() || state.length() > 512) {
      throw invalidState();
    }
    String stateHash = hash(state);
    Instant now = clock.instant();
    int claimed =
        em.createQuery(
                "update AuthorizationRequestEntity r set r.usedAt = :now"
                    + " where r.stateSha256 = :hash and r.usedAt is null and r.expiresAt > :now")
            .setParameter("now", now)
            .setParameter("hash", stateHash)
            .executeUpdate();
    if (claimed != 1) {
      throw invalidState();
    }
    return em.find(AuthorizationRequestEntity.class, stateHash);
  }

  @Scheduled(
      every = "10m",
      delayed = "1m",
      concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
  @Transactional
  void purgeExpired() {
    em.createQuery("delete from AuthorizationRequestEntity r where r.expiresAt < :cutoff")
        .setParameter("cutoff", clock.instant().minus(Duration.ofHours(1)))
        .executeUpdate();
  }

  private void checkReturnUrl(String returnUrl) {
    if (returnUrl == null) {
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

  static String appendQuery(String url, Map<String, String> params) {
    String query =
        params.entrySet().stream()
            .map(e -> encode(e.getKey()) + "=" + encode(e.getValue()))
            .collect(Collectors.joining("&"));
    return url + (url.contains("?") ? "&" : "?") + query;
  }

  private static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
  }

  private static String hash(String state) {
    return HexFormat.of().formatHex(Pkce.sha256(state));
  }

  private static SecretBinding verifierBinding(String stateHash) {
    return SecretBinding.of("authorization_request", stateHash, "code_verifier");
  }

  private static ApiException invalidState() {
    return new ApiException(
        Status.BAD_REQUEST,
        ProblemCodes.INVALID_STATE,
        "Unknown, used or expired authorization state; start the authorization again");
  }
}
