package dev.tokenbroker.refresh;

import dev.tokenbroker.api.ApiException;
import dev.tokenbroker.api.ProblemCodes;
import dev.tokenbroker.audit.AuditActions;
import dev.tokenbroker.audit.AuditEvent;
import dev.tokenbroker.audit.AuditLog;
import dev.tokenbroker.grant.GrantCache;
import dev.tokenbroker.grant.GrantEntity;
import dev.tokenbroker.grant.GrantSecrets;
import dev.tokenbroker.grant.GrantSnapshot;
import dev.tokenbroker.grant.GrantStatus;
import dev.tokenbroker.grant.TokenWrite;
import dev.tokenbroker.ops.BrokerMetrics;
import dev.tokenbroker.ops.Sleeper;
import dev.tokenbroker.provider.ProviderSettings;
import dev.tokenbroker.provider.Scopes;
import dev.tokenbroker.refresh.lease.GrantLease;
import dev.tokenbroker.upstream.IssuedTokens;
import dev.tokenbroker.upstream.UpstreamException;
import dev.tokenbroker.upstream.UpstreamTokenClient;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.Response;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * The one refresh path, for callers and the scheduler alike: with the grant's lease held, call the
 * provider, then seal and store the result, or record the failure. The grant's own refresh and the
 * refresh for a narrower token (DESIGN §6 {@code downscope}) are both here, a little over 250
 * lines, because they share that call, the sealing and the store-or-hold step.
 */
@ApplicationScoped
public class LeasedRefresh {

  private static final Logger LOG = Logger.getLogger(LeasedRefresh.class);

  private final GrantSecrets secrets;
  private final IssuedTokenWrites writes;
  private final GrantCache cache;
  private final UpstreamTokenClient upstream;
  private final HeldTokenWrites held;
  private final RefreshFailurePolicy failures;
  private final AuditLog audit;
  private final BrokerMetrics metrics;
  private final Clock clock;
  private final Sleeper sleeper;

  public LeasedRefresh(
      GrantSecrets secrets,
      IssuedTokenWrites writes,
      GrantCache cache,
      UpstreamTokenClient upstream,
      HeldTokenWrites held,
      RefreshFailurePolicy failures,
      AuditLog audit,
      BrokerMetrics metrics,
      Clock clock,
      Sleeper sleeper) {
    this.secrets = secrets;
    this.writes = writes;
    this.cache = cache;
    this.upstream = upstream;
    this.held = held;
    this.failures = failures;
    this.audit = audit;
    this.metrics = metrics;
    this.clock = clock;
    this.sleeper = sleeper;
  }

  /** Refreshes the leased grant; the lease ends here (stored, failed, or held with its result). */
  GrantSnapshot refresh(GrantLease lease, ProviderSettings provider) {
    GrantEntity grant = lease.grant();
    refuseWhileStillServing(grant, provider);
    if (lease.interrupted()) {
      LOG.infof(
          "Taking over grant %s after an interrupted refresh started %d ms ago (reuse grace %d s)",
          grant.id,
          Duration.between(lease.attemptStartedAt(), clock.instant()).toMillis(),
          provider.definition().refreshTokenReuseGraceSeconds());
    }
    IssuedTokens tokens;
    try {
      tokens = callWithinGrace(lease, provider, List.of());
    } catch (UpstreamException e) {
      throw failures.failed(lease, provider, e);
    }
    storeOrHold(lease, () -> seal(provider, grant, tokens));
    GrantSnapshot fresh =
        new GrantSnapshot(
            grant.id,
            grant.providerId,
            grant.subject,
            Scopes.parse(grant.scopes),
            GrantStatus.ACTIVE,
            tokens.accessToken(),
            tokens.issuedAt(),
            tokens.expiresAt(),
            tokens.scope() != null ? tokens.scope() : grant.scopes);
    cache.put(fresh);
    audit.record(
        AuditEvent.success(AuditActions.GRANT_REFRESHED)
            .provider(grant.providerId)
            .grant(grant.id)
            .subject(grant.subject)
            .detail(tokens.refreshToken() == null ? null : "refresh token rotated"));
    LOG.debugf(
        "Refreshed grant %s of provider %s; access token expires %s%s",
        grant.id,
        provider.id(),
        tokens.expiresAt(),
        tokens.refreshToken() == null ? "" : " (refresh token rotated)");
    return fresh;
  }

  /**
   * DESIGN §6 {@code downscope=refresh}: a refresh_token request for {@code scopes}, a subset of
   * the grant's, under the lease like any refresh (reuse grace, crash safety). The grant keeps its
   * own access token; a rotated refresh token is stored. The narrower token is the caller's.
   */
  IssuedTokens downscoped(GrantLease lease, ProviderSettings provider, List<String> scopes) {
    GrantEntity grant = lease.grant();
    if (grant.refreshTokenCiphertext == null) {
      throw new ApiException(
          Response.Status.FORBIDDEN,
          ProblemCodes.SCOPE_NOT_ALLOWED,
          "Grant " + grant.id + " has no refresh token to obtain a narrower token with");
    }
    IssuedTokens tokens;
    try {
      tokens = callWithinGrace(lease, provider, scopes);
    } catch (UpstreamException e) {
      throw failures.failed(lease, provider, e);
    }
    storeOrHold(lease, () -> keepingAccessToken(grant, tokens));
    audit.record(
        AuditEvent.success(AuditActions.GRANT_REFRESHED)
            .provider(grant.providerId)
            .grant(grant.id)
            .subject(grant.subject)
            .detail(
                "narrower token for "
                    + Scopes.join(scopes)
                    + (tokens.refreshToken() == null ? "" : "; refresh token rotated")));
    return tokens;
  }

  /** The grant's stored access token unchanged, with the rotated refresh token if any. */
  private TokenWrite keepingAccessToken(GrantEntity grant, IssuedTokens tokens) {
    String rotated =
        tokens.refreshToken() == null
            ? null
            : secrets.seal(grant.id, null, tokens.refreshToken()).refreshToken();
    return new TokenWrite(
        grant.accessTokenCiphertext,
        rotated,
        grant.accessTokenScopes,
        grant.accessTokenIssuedAt,
        grant.accessTokenExpiresAt,
        grant.nextRefreshAt);
  }

  /**
   * A grant without a refresh token cannot be refreshed, but it serves until its access token
   * expires: asking for more answers 409 {@code no_refresh_token} and changes nothing. Only an
   * expired one turns {@code reauthorization_required}.
   */
  private void refuseWhileStillServing(GrantEntity grant, ProviderSettings provider) {
    if (provider.usesClientCredentials()
        || grant.refreshTokenCiphertext != null
        || grant.accessTokenExpiresAt == null
        || !grant.accessTokenExpiresAt.isAfter(clock.instant())) {
      return;
    }
    throw new ApiException(
        Response.Status.CONFLICT,
        ProblemCodes.NO_REFRESH_TOKEN,
        "Grant "
            + grant.id
            + " has no refresh token; its access token stays valid until "
            + grant.accessTokenExpiresAt
            + ", then it needs a new authorization");
  }

  /**
   * Calls the provider; a call whose outcome was lost (timeout, dropped connection) is repeated at
   * once with the same refresh token while the provider's reuse grace window is open, never after.
   */
  private IssuedTokens callWithinGrace(
      GrantLease lease, ProviderSettings provider, List<String> scopes) {
    try {
      return call(provider, lease.grant(), scopes);
    } catch (UpstreamException e) {
      if (!e.outcomeUnknown() || provider.usesClientCredentials()) {
        throw e;
      }
      lease.outcomeUnknown();
      if (!ReuseGraceWindow.open(
          lease.attemptStartedAt(),
          provider.definition().refreshTokenReuseGraceSeconds(),
          clock.instant())) {
        throw e;
      }
      metrics.graceRetry(provider.id());
      LOG.infof(
          "Refresh of grant %s at %s lost its answer; presenting the same refresh token again"
              + " within the provider's %d-s reuse grace window",
          lease.grantId(), provider.id(), provider.definition().refreshTokenReuseGraceSeconds());
      return call(provider, lease.grant(), scopes);
    }
  }

  private IssuedTokens call(ProviderSettings provider, GrantEntity grant, List<String> scopes) {
    if (provider.usesClientCredentials()) {
      return upstream.clientCredentials(provider, Scopes.parse(grant.scopes));
    }
    String refreshToken = secrets.openRefreshToken(grant);
    if (refreshToken == null) {
      throw new UpstreamException(
          UpstreamException.Kind.GRANT_REJECTED,
          0,
          RefreshFailurePolicy.NO_REFRESH_TOKEN,
          null,
          "The grant holds no refresh token",
          null);
    }
    return upstream.refresh(provider, refreshToken, scopes);
  }

  private TokenWrite seal(ProviderSettings provider, GrantEntity grant, IssuedTokens tokens) {
    return writes.of(
        provider,
        grant.id,
        tokens,
        grant.scopes,
        tokens.refreshToken() != null || grant.refreshTokenCiphertext != null);
  }

  /**
   * Seals and stores the result, retrying briefly; if the crypto backend or the database still
   * refuses, holds it in memory with the lease until they accept it.
   */
  private void storeOrHold(GrantLease lease, Supplier<TokenWrite> seal) {
    RuntimeException last = null;
    TokenWrite write = null;
    for (int attempt = 0; attempt < 3; attempt++) {
      try {
        if (write == null) {
          write = seal.get();
        }
        if (!lease.store(write)) {
          LOG.errorf(
              "Grant %s changed during its refresh although this replica held the lease; the"
                  + " stored tokens were kept",
              lease.grantId());
        }
        return;
      } catch (RuntimeException e) {
        last = e;
        sleeper.sleep(Duration.ofMillis(200L << attempt));
      }
    }
    TokenWrite sealed = write;
    held.hold(lease.detach(), sealed != null ? () -> sealed : seal);
    LOG.errorf(
        "Could not %s refreshed tokens of grant %s (%s); holding them in memory until that"
            + " works, keeping the lease",
        sealed == null ? "seal" : "store", lease.grantId(), last.getClass().getSimpleName());
  }
}
