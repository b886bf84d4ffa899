package dev.tokenbroker.refresh;

import dev.tokenbroker.api.ApiException;
import dev.tokenbroker.api.ProblemCodes;
import dev.tokenbroker.grant.GrantCache;
import dev.tokenbroker.grant.GrantEntity;
import dev.tokenbroker.grant.GrantSecrets;
import dev.tokenbroker.grant.GrantSnapshot;
import dev.tokenbroker.grant.GrantStatus;
import dev.tokenbroker.grant.GrantStore;
import dev.tokenbroker.ops.Sleeper;
import dev.tokenbroker.provider.ProviderRegistry;
import dev.tokenbroker.provider.ProviderSettings;
import dev.tokenbroker.provider.Scopes;
import dev.tokenbroker.refresh.lease.GrantLease;
import dev.tokenbroker.refresh.lease.LeaseStore;
import dev.tokenbroker.upstream.IssuedTokens;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Predicate;
import org.jboss.logging.Logger;

/**
 * Refreshes one grant at a time cluster-wide: callers of this replica share one in-flight refresh
 * ({@link SingleFlight}), and replicas take the grant's lease ({@link RefreshLeases}) before the
 * one refresh path ({@link LeasedRefresh}) calls the provider (DESIGN §3.3).
 */
@ApplicationScoped
public class GrantRefresher {

  private static final Logger LOG = Logger.getLogger(GrantRefresher.class);

  private final GrantStore store;
  private final GrantSecrets secrets;
  private final GrantCache cache;
  private final ProviderRegistry providers;
  private final RefreshLeases leases;
  private final LeasedRefresh leased;
  private final HeldTokenWrites held;
  private final RefreshConfig config;
  private final Clock clock;
  private final Sleeper sleeper;
  private final ReRegistration reRegistration;
  private final SingleFlight<GrantSnapshot> flights = new SingleFlight<>();
  private final SingleFlight<IssuedTokens> narrowing = new SingleFlight<>();

  public GrantRefresher(
      GrantStore store,
      GrantSecrets secrets,
      GrantCache cache,
      ProviderRegistry providers,
      RefreshLeases leases,
      LeasedRefresh leased,
      HeldTokenWrites held,
      RefreshConfig config,
      Clock clock,
      Sleeper sleeper,
      ReRegistration reRegistration) {
    this.store = store;
    this.secrets = secrets;
    this.cache = cache;
    this.providers = providers;
    this.leases = leases;
    this.leased = leased;
    this.held = held;
    this.config = config;
    this.clock = clock;
    this.sleeper = sleeper;
    this.reRegistration = reRegistration;
  }

  /**
   * A snapshot whose access token satisfies {@code minValidity}, refreshing if needed. With {@code
   * force} the provider is asked for new tokens even if the stored ones are fresh.
   */
  public GrantSnapshot refresh(String grantId, long minValidity, boolean force) {
    Predicate<GrantEntity> tooShort =
        g -> !GrantSnapshot.satisfies(g, clock.instant(), minValidity);
    return flights.run(
        grantId,
        () ->
            reRegistration.refusedOnce(
                () -> coordinated(grantId, force ? g -> true : tooShort, tooShort)),
        config.waitTimeout().plusSeconds(5),
        () -> unavailable("of grant " + grantId));
  }

  /**
   * A snapshot after a resource server rejected {@code rejected} before its expiry: refreshed when
   * the stored access token is still that one and was issued at least {@code
   * broker.refresh.rejected-token-min-interval} ago, decided on the stored grant under its lease,
   * so that any number of reports across replicas cause at most one refresh per interval. The
   * stored token is opened only once the interval has passed.
   */
  public GrantSnapshot refreshRejected(String grantId, String rejected, long minValidity) {
    Predicate<GrantEntity> stale =
        g ->
            !GrantSnapshot.satisfies(g, clock.instant(), minValidity)
                || ((g.accessTokenIssuedAt == null
                        || !g.accessTokenIssuedAt
                            .plus(config.rejectedTokenMinInterval())
                            .isAfter(clock.instant()))
                    && secrets.snapshot(g).hasAccessToken(rejected));
    return flights.run(
        grantId,
        () -> reRegistration.refusedOnce(() -> coordinated(grantId, stale, stale)),
        config.waitTimeout().plusSeconds(5),
        () -> unavailable("of grant " + grantId));
  }

  /**
   * A token for {@code scopes}, narrower than the grant's (DESIGN §6 {@code downscope=refresh}),
   * from one refresh_token request under the grant's lease; callers of this replica asking for the
   * same grant and scopes share it.
   */
  public IssuedTokens narrower(String grantId, List<String> scopes) {
    return narrowing.run(
        grantId + " " + Scopes.join(new java.util.TreeSet<>(scopes)),
        () -> reRegistration.refusedOnce(() -> narrowerUnderLease(grantId, scopes)),
        config.waitTimeout().plusSeconds(5),
        () -> unavailable("of grant " + grantId));
  }

  private IssuedTokens narrowerUnderLease(String grantId, List<String> scopes) {
    Instant deadline = clock.instant().plus(config.waitTimeout());
    while (true) {
      if (!held.flush(grantId)) {
        throw unavailable("of grant " + grantId);
      }
      Optional<GrantLease> taken = leases.tryLease(grantId);
      if (taken.isPresent()) {
        try (GrantLease lease = taken.get()) {
          GrantEntity grant = active(Optional.of(lease.grant()), grantId);
          return leased.downscoped(lease, provider(grant), scopes);
        }
      }
      if (clock.instant().isAfter(deadline)) {
        throw unavailable("of grant " + grantId);
      }
      pause();
    }
  }

  /**
   * Proactive refresh of a grant that came due: skipped (false) when this replica is already
   * refreshing it, another replica holds its lease, or it is no longer due.
   */
  public boolean refreshIfDue(String grantId) {
    try {
      return flights
          .runIfIdle(grantId, () -> reRegistration.refusedOnce(() -> ifDue(grantId)))
          .isPresent();
    } catch (RuntimeException e) {
      LOG.debugf("Proactive refresh of grant %s failed: %s", grantId, e.getMessage());
      return false;
    }
  }

  /**
   * Refreshes when {@code stale} holds for the stored grant. The lease is tried first: its row is
   * the one read of an uncontended refresh, and the stored access token is not opened to decide.
   * {@code afterOthers}: what still needs a refresh once another holder refreshed meanwhile
   * (whatever it stored will do for a forced refresh).
   */
  private GrantSnapshot coordinated(
      String grantId, Predicate<GrantEntity> stale, Predicate<GrantEntity> afterOthers) {
    Instant deadline = clock.instant().plus(config.waitTimeout());
    Predicate<GrantEntity> needs = stale;
    while (true) {
      if (!held.flush(grantId)) {
        throw unavailable("of grant " + grantId);
      }
      Optional<GrantLease> lease = leases.tryLease(grantId);
      if (lease.isPresent()) {
        return underLease(lease.get(), needs);
      }
      GrantEntity grant = active(store.find(grantId), grantId);
      if (!needs.test(grant)) {
        return served(grant);
      }
      needs = afterOthers;
      if (clock.instant().isAfter(deadline)) {
        throw unavailable(grant.providerId);
      }
      pause();
    }
  }

  private GrantSnapshot underLease(GrantLease lease, Predicate<GrantEntity> stale) {
    try (lease) {
      GrantEntity grant = active(Optional.of(lease.grant()), lease.grantId());
      return stale.test(grant) ? leased.refresh(lease, provider(grant)) : served(grant);
    }
  }

  /** The stored grant opened, and cached for the callers that come next. */
  private GrantSnapshot served(GrantEntity grant) {
    GrantSnapshot stored = secrets.snapshot(grant);
    cache.put(stored);
    return stored;
  }

  /** Null when there was nothing to do. */
  private GrantSnapshot ifDue(String grantId) {
    if (!held.flush(grantId)) {
      return null;
    }
    Optional<GrantLease> taken = leases.tryLease(grantId);
    if (taken.isEmpty()) {
      return null;
    }
    try (GrantLease lease = taken.get()) {
      GrantEntity grant = lease.grant();
      if (!LeaseStore.due(grant, clock.instant()) && !lease.interrupted()) {
        return null;
      }
      return leased.refresh(lease, provider(grant));
    }
  }

  private ProviderSettings provider(GrantEntity grant) {
    return providers
        .find(grant.providerId)
        .orElseThrow(
            () ->
                ApiException.notFound(
                    ProblemCodes.GRANT_NOT_FOUND, "No provider " + grant.providerId));
  }

  private static GrantEntity active(Optional<GrantEntity> found, String grantId) {
    GrantEntity grant =
        found.orElseThrow(
            () -> ApiException.notFound(ProblemCodes.GRANT_NOT_FOUND, "No grant " + grantId));
    if (grant.status != GrantStatus.ACTIVE) {
      throw RefreshFailures.reauthorizationRequired(grantId);
    }
    return grant;
  }

  private ApiException unavailable(String what) {
    return RefreshFailures.upstreamUnavailable(what, config.defaultRetryAfter());
  }

  private void pause() {
    long base = config.pollInterval().toMillis();
    sleeper.sleep(Duration.ofMillis(base + ThreadLocalRandom.current().nextLong(base + 1)));
  }
}
