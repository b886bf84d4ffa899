package dev.tokenbroker.refresh;

import dev.tokenbroker.api.ApiException;
import dev.tokenbroker.audit.AuditActions;
import dev.tokenbroker.audit.AuditEvent;
import dev.tokenbroker.audit.AuditLog;
import dev.tokenbroker.grant.GrantCache;
import dev.tokenbroker.grant.GrantEntity;
import dev.tokenbroker.grant.GrantStatus;
import dev.tokenbroker.ops.BrokerMetrics;
import dev.tokenbroker.provider.ProviderCredentials;
import dev.tokenbroker.provider.ProviderSettings;
import dev.tokenbroker.refresh.lease.GrantLease;
import dev.tokenbroker.upstream.UpstreamException;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ThreadLocalRandom;
import org.jboss.logging.Logger;

/**
 * What a failed refresh does to its grant and what the caller is told: the grant's new status and
 * next attempt (backoff), and the problem (DESIGN §3.6, §4 Tokens).
 */
@ApplicationScoped
public class RefreshFailurePolicy {

  private static final Logger LOG = Logger.getLogger(RefreshFailurePolicy.class);

  /** The {@code last_error} code of a grant that expired without a refresh token. */
  public static final String NO_REFRESH_TOKEN = "no_refresh_token";

  /**
   * The {@code last_error} code of a grant whose refresh outcome was lost (crash, timeout, dropped
   * connection) and whose refresh token the provider then refused.
   */
  public static final String REFRESH_INTERRUPTED = "refresh_interrupted";

  private final GrantCache cache;
  private final AuditLog audit;
  private final BrokerMetrics metrics;
  private final RefreshConfig config;
  private final Clock clock;
  private final ProviderCredentials credentials;

  public RefreshFailurePolicy(
      GrantCache cache,
      AuditLog audit,
      BrokerMetrics metrics,
      RefreshConfig config,
      Clock clock,
      ProviderCredentials credentials) {
    this.credentials = credentials;
    this.cache = cache;
    this.audit = audit;
    this.metrics = metrics;
    this.config = config;
    this.clock = clock;
  }

  /** Records the failure on the grant (ending the lease) and returns the caller's problem. */
  ApiException failed(GrantLease lease, ProviderSettings provider, UpstreamException e) {
    GrantEntity grant = lease.grant();
    String code = errorCode(lease, e);
    audit.record(
        AuditEvent.of(AuditActions.GRANT_REFRESHED, code)
            .provider(grant.providerId)
            .grant(grant.id)
            .subject(grant.subject));
    GrantStatus terminal =
        e.kind() == UpstreamException.Kind.GRANT_REJECTED
            ? GrantStatus.REAUTHORIZATION_REQUIRED
            : null;
    Instant retryAt = terminal == null ? clock.instant().plus(retryIn(lease, provider)) : null;
    if (!lease.fail(code, terminal, retryAt)) {
      LOG.infof(
          "Grant %s was refreshed by another holder while this one waited for %s (%s);"
              + " its tokens stand",
          grant.id, provider.id(), code);
      return RefreshFailures.upstreamUnavailable(provider.id(), Duration.ofSeconds(1));
    }
    switch (e.kind()) {
      case GRANT_REJECTED -> {
        cache.evict(grant.providerId, grant.subject);
        logRejected(provider, grant, code);
        return RefreshFailures.reauthorizationRequired(grant.id);
      }
      case CLIENT_REJECTED, REQUEST_REJECTED -> {
        if (e.kind() == UpstreamException.Kind.CLIENT_REJECTED) {
          credentials.rejected(provider.id(), code);
        }
        LOG.warnf(
            "Provider %s refused the broker's token request for grant %s: %s (status %d)",
            provider.id(), grant.id, code, e.status());
        return e.kind() == UpstreamException.Kind.CLIENT_REJECTED
            ? RefreshFailures.credentialsRefused(provider.id(), code)
            : RefreshFailures.upstreamRejected(provider.id(), code);
      }
      default -> {
        LOG.warnf(
            "Provider %s unavailable for grant %s: %s%s",
            provider.id(),
            grant.id,
            e.getMessage(),
            lease.interrupted()
                ? " (outcome unknown: the next refresh counts as interrupted)"
                : "");
        return RefreshFailures.upstreamUnavailable(
            provider.id(), e.retryAfter().orElse(config.defaultRetryAfter()));
      }
    }
  }

  private String errorCode(GrantLease lease, UpstreamException e) {
    boolean lostRotation =
        e.kind() == UpstreamException.Kind.GRANT_REJECTED
            && lease.interrupted()
            && !NO_REFRESH_TOKEN.equals(e.errorCode());
    return lostRotation ? REFRESH_INTERRUPTED : e.errorCode();
  }

  private void logRejected(ProviderSettings provider, GrantEntity grant, String code) {
    if (NO_REFRESH_TOKEN.equals(code)) {
      LOG.warnf(
          "Grant %s of provider %s has no refresh token and its access token is ending:"
              + " reauthorization required",
          grant.id, provider.id());
    } else if (REFRESH_INTERRUPTED.equals(code)) {
      metrics.refreshInterrupted(provider.id());
      LOG.errorf(
          "Provider %s refused the refresh token of grant %s after an interrupted refresh (crash,"
              + " timeout or lost answer; attempt started %s, reuse grace %d s): reauthorization"
              + " required",
          provider.id(),
          grant.id,
          grant.attemptStartedAt,
          provider.definition().refreshTokenReuseGraceSeconds());
    } else {
      LOG.warnf(
          "Provider %s rejected the refresh token of grant %s (%s): reauthorization required",
          provider.id(), grant.id, code);
    }
  }

  /**
   * Exponential in the failures so far, capped at 10 minutes, with full jitter on the upper half.
   */
  static Duration backoff(GrantEntity grant) {
    long seconds = Math.min(600, 5L << Math.min(grant.refreshFailures, 7));
    return Duration.ofSeconds(seconds / 2 + ThreadLocalRandom.current().nextLong(seconds / 2 + 1));
  }

  private static Duration retryIn(GrantLease lease, ProviderSettings provider) {
    // a call whose outcome is unknown is repeated within the reuse grace window, which a
    // backoff could miss
    return lease.interrupted() && provider.definition().refreshTokenReuseGraceSeconds() > 0
        ? Duration.ofSeconds(1)
        : backoff(lease.grant());
  }
}
