package dev.tokenbroker.refresh;

import dev.tokenbroker.api.ApiException;
import dev.tokenbroker.api.Ids;
import dev.tokenbroker.api.ProblemCodes;
import dev.tokenbroker.audit.AuditActions;
import dev.tokenbroker.audit.AuditEvent;
import dev.tokenbroker.audit.AuditLog;
import dev.tokenbroker.grant.GrantCache;
import dev.tokenbroker.grant.GrantEntity;
import dev.tokenbroker.grant.GrantSecrets;
import dev.tokenbroker.grant.GrantSnapshot;
import dev.tokenbroker.grant.GrantStatus;
import dev.tokenbroker.grant.GrantStore;
import dev.tokenbroker.grant.TokenWrite;
import dev.tokenbroker.provider.ProviderRegistry;
import dev.tokenbroker.provider.ProviderSettings;
import dev.tokenbroker.provider.Scopes;
import dev.tokenbroker.upstream.IssuedTokens;
import dev.tokenbroker.upstream.UpstreamException;
import dev.tokenbroker.upstream.UpstreamRateGuard;
import dev.tokenbroker.upstream.UpstreamTokenClient;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * Refreshes one grant at a time cluster-wide: callers of this replica share one in-flight refresh,
 * and replicas take a database lease before calling the provider (DESIGN §3.3).
 */
@ApplicationScoped
public class GrantRefresher {

  private static final Logger LOG = Logger.getLogger(GrantRefresher.class);

  /** The {@code last_error} code of a grant that expired without a refresh token. */
  public static final String NO_REFRESH_TOKEN = "no_refresh_token";

  private static final Duration RATE_POLL = Duration.ofMillis(250);

  private final AuditLog audit;
  private final GrantStore store;
  private final GrantSecrets secrets;
  private final GrantCache cache;
  private final ProviderRegistry providers;
  private final UpstreamTokenClient upstream;
  private final HeldTokenWrites held;
  private final UpstreamRateGuard rateGuard;
  private final RefreshConfig config;
  private final Clock clock;
  private final String owner = Ids.newId("replica");
  private final Map<String, CompletableFuture<GrantSnapshot>> inFlight = new ConcurrentHashMap<>();

  public GrantRefresher(
      GrantStore store,
      GrantSecrets secrets,
      GrantCache cache,
      ProviderRegistry providers,
      UpstreamTokenClient upstream,
      HeldTokenWrites held,
      UpstreamRateGuard rateGuard,
      RefreshConfig config,
      Clock clock,
      AuditLog audit) {
    this.audit = audit;
    this.store = store;
    this.secrets = secrets;
    this.cache = cache;
    this.providers = providers;
    this.upstream = upstream;
    this.held = held;
    this.rateGuard = rateGuard;
    this.config = config;
    this.clock = clock;
  }

  /**
   * A snapshot whose access token satisfies {@code minValidity}, refreshing if needed. With {@code
   * force} the provider is asked for new tokens even if the stored ones are fresh.
   */
  public GrantSnapshot refresh(String grantId, long minValidity, boolean force) {
    while (true) {
      CompletableFuture<GrantSnapshot> mine = new CompletableFuture<>();
      CompletableFuture<GrantSnapshot> running = inFlight.putIfAbsent(grantId, mine);
      if (running != null) {
        GrantSnapshot shared = join(running, grantId);
        if (shared != null) {
          return shared;
        }
        // a proactive attempt found nothing to do: this caller checks for itself
        continue;
      }
      try {
        GrantSnapshot result = refreshCoordinated(grantId, minValidity, force);
        finish(grantId, mine, result, null);
        return result;
      } catch (RuntimeException e) {
        finish(grantId, mine, null, e);
        throw e;
      }
    }
  }

  /** Leaves the single-flight map first, so nobody joins a finished refresh. */
  private void finish(
      String grantId, CompletableFuture<GrantSnapshot> mine, GrantSnapshot result, Throwable e) {
    inFlight.remove(grantId, mine);
    if (e == null) {
      mine.complete(result);
    } else {
      mine.completeExceptionally(e);
    }
  }

  private GrantSnapshot join(CompletableFuture<GrantSnapshot> running, String grantId) {
    try {
      return running.get(config.waitTimeout().toMillis() + 5_000, TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException runtime) {
        throw runtime;
      }
      throw new IllegalStateException(e.getCause());
    } catch (TimeoutException e) {
      throw RefreshFailures.upstreamUnavailable("of grant " + grantId, config.defaultRetryAfter());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw RefreshFailures.upstreamUnavailable("of grant " + grantId, config.defaultRetryAfter());
    }
  }

  private GrantSnapshot refreshCoordinated(String grantId, long minValidity, boolean force) {
    Instant deadline = clock.instant().plus(config.waitTimeout());
    boolean mustCallUpstream = force;
    while (true) {
      GrantEntity grant = current(grantId);
      GrantSnapshot stored = secrets.snapshot(grant);
      if (!mustCallUpstream && stored.satisfies(clock.instant(), minValidity)) {
        cache.put(stored);
        return stored;
      }
      if (!held.flush(grantId)) {
        throw RefreshFailures.upstreamUnavailable(grant.providerId, config.defaultRetryAfter());
      }
      if (store.tryLease(grantId, owner, config.leaseDuration())) {
        return refreshUnderLease(grantId, minValidity, mustCallUpstream);
      }
      // Another replica is refreshing: whatever it stores will do, even for a forced refresh.
      mustCallUpstream = false;
      if (clock.instant().isAfter(deadline)) {
        throw RefreshFailures.upstreamUnavailable(grant.providerId, config.defaultRetryAfter());
      }
      pause();
    }
  }

  private GrantSnapshot refreshUnderLease(String grantId, long minValidity, boolean force) {
    GrantEntity grant;
    try {
      grant = current(grantId);
      GrantSnapshot stored = secrets.snapshot(grant);
      if (!force && stored.satisfies(clock.instant(), minValidity)) {
        store.releaseLease(grantId, owner);
        cache.put(stored);
        return stored;
      }
    } catch (RuntimeException e) {
      store.releaseLease(grantId, owner);
      throw e;
    }
    return callAndStore(grant);
  }

  /**
   * Proactive refresh of a grant that came due: skipped (false) when this replica is already
   * refreshing it, another replica holds its lease, or it is no longer due.
   */
  public boolean refreshIfDue(String grantId) {
    CompletableFuture<GrantSnapshot> mine = new CompletableFuture<>();
    if (inFlight.putIfAbsent(grantId, mine) != null) {
      return false;
    }
    try {
      if (!held.flush(grantId) || !store.tryLease(grantId, owner, config.leaseDuration())) {
        finish(grantId, mine, null, null);
        return false;
      }
      GrantEntity grant = store.find(grantId).orElse(null);
      if (grant == null
          || grant.status != GrantStatus.ACTIVE
          || grant.nextRefreshAt == null
          || grant.nextRefreshAt.isAfter(clock.instant())) {
        store.releaseLease(grantId, owner);
        finish(grantId, mine, null, null);
        return false;
      }
      finish(grantId, mine, callAndStore(grant), null);
      return true;
    } catch (RuntimeException e) {
      finish(grantId, mine, null, e);
      LOG.debugf("Proactive refresh of grant %s failed: %s", grantId, e.getMessage());
      return false;
    }
  }

  /** Calls the provider and stores the result; the caller holds the lease on {@code grant}. */
  private GrantSnapshot callAndStore(GrantEntity grant) {
    ProviderSettings provider;
    try {
      provider =
          providers
              .find(grant.providerId)
              .orElseThrow(
                  () -> ApiException.notFound(ProblemCodes.GRANT_NOT_FOUND, "No provider"));
    } catch (RuntimeException e) {
      store.releaseLease(grant.id, owner);
      throw e;
    }
    IssuedTokens tokens;
    try {
      awaitRateSlot(provider);
      try {
        tokens = callUpstream(provider, grant);
      } finally {
        paceFromAnswer(provider);
      }
    } catch (UpstreamException e) {
      throw failed(provider, grant, e);
    } catch (RuntimeException e) {
      store.releaseLease(grant.id, owner);
      throw e;
    }
    storeOrHold(grant, () -> seal(provider, grant, tokens));
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
   * Waits for the provider's next cluster-wide request slot when it can open in time; otherwise
   * fails as rate limited so the caller gets 503 with Retry-After. While another request is in
   * flight the slot is polled: it opens one interval after that request's answer.
   */
  private void awaitRateSlot(ProviderSettings provider) {
    Instant deadline = clock.instant().plus(config.maxRateWait());
    while (true) {
      Optional<UpstreamRateGuard.Busy> busy =
          rateGuard.tryAcquire(provider.id(), provider.minTokenRequestIntervalSeconds());
      if (busy.isEmpty()) {
        return;
      }
      Duration wait = busy.get().opensIn();
      Instant now = clock.instant();
      if (now.plus(wait).isAfter(deadline) || !now.isBefore(deadline)) {
        Duration retryAfter =
            busy.get().inFlight()
                ? Duration.ofSeconds(Math.max(1, provider.minTokenRequestIntervalSeconds()))
                : wait;
        throw new UpstreamException(
            UpstreamException.Kind.RATE_LIMITED,
            0,
            null,
            retryAfter,
            "Provider " + provider.id() + " allows its next token request in " + retryAfter,
            null);
      }
      Duration pause = busy.get().inFlight() || wait.compareTo(RATE_POLL) < 0 ? RATE_POLL : wait;
      sleep(pause.plusMillis(ThreadLocalRandom.current().nextLong(50)));
    }
  }

  /** Opens the provider's next request slot one interval after this answer. */
  private void paceFromAnswer(ProviderSettings provider) {
    try {
      rateGuard.answered(provider.id(), provider.minTokenRequestIntervalSeconds());
    } catch (RuntimeException e) {
      LOG.warnf(
          "Could not record the request interval of provider %s (%s)",
          provider.id(), e.getClass().getSimpleName());
    }
  }

  private IssuedTokens callUpstream(ProviderSettings provider, GrantEntity grant) {
    if (provider.usesClientCredentials()) {
      return upstream.clientCredentials(provider, Scopes.parse(grant.scopes));
    }
    String refreshToken = secrets.openRefreshToken(grant);
    if (refreshToken == null) {
      throw new UpstreamException(
          UpstreamException.Kind.GRANT_REJECTED,
          0,
          NO_REFRESH_TOKEN,
          null,
          "The grant holds no refresh token",
          null);
    }
    return upstream.refresh(provider, refreshToken);
  }

  private TokenWrite seal(ProviderSettings provider, GrantEntity grant, IssuedTokens tokens) {
    String scope = tokens.scope() != null ? tokens.scope() : grant.scopes;
    GrantSecrets.Sealed sealed =
        secrets.seal(grant.id, tokens.accessToken(), tokens.refreshToken());
    return new TokenWrite(
        sealed.accessToken(),
        sealed.refreshToken(),
        scope,
        tokens.issuedAt(),
        tokens.expiresAt(),
        RefreshSchedule.nextRefreshAt(
            provider,
            tokens.issuedAt(),
            tokens.expiresAt(),
            tokens.refreshToken() != null || grant.refreshTokenCiphertext != null,
            config.jitter(),
            ThreadLocalRandom.current()));
  }

  /**
   * Seals and stores the result, retrying briefly; if the crypto backend or the database still
   * refuses, holds it in memory (with the lease) until they accept it.
   */
  private void storeOrHold(GrantEntity grant, Supplier<TokenWrite> seal) {
    RuntimeException last = null;
    TokenWrite write = null;
    for (int attempt = 0; attempt < 3; attempt++) {
      try {
        if (write == null) {
          write = seal.get();
        }
        if (!store.storeRefreshed(grant.id, grant.version, write)) {
          LOG.errorf(
              "Grant %s changed during its refresh although this replica held the lease; the"
                  + " stored tokens were kept",
              grant.id);
        }
        return;
      } catch (RuntimeException e) {
        last = e;
        sleep(Duration.ofMillis(200L << attempt));
      }
    }
    TokenWrite sealed = write;
    held.hold(
        grant.id,
        grant.version,
        sealed != null ? () -> sealed : seal,
        owner,
        config.leaseDuration());
    LOG.errorf(
        "Could not %s refreshed tokens of grant %s (%s); holding them in memory until that"
            + " works, keeping the lease",
        sealed == null ? "seal" : "store", grant.id, last.getClass().getSimpleName());
  }

  private ApiException failed(ProviderSettings provider, GrantEntity grant, UpstreamException e) {
    Instant now = clock.instant();
    audit.record(
        AuditEvent.of(AuditActions.GRANT_REFRESHED, e.errorCode())
            .provider(grant.providerId)
            .grant(grant.id)
            .subject(grant.subject));
    switch (e.kind()) {
      case GRANT_REJECTED -> {
        store.recordFailure(
            grant.id, owner, e.errorCode(), GrantStatus.REAUTHORIZATION_REQUIRED, null);
        cache.evict(grant.providerId, grant.subject);
        if (NO_REFRESH_TOKEN.equals(e.errorCode())) {
          LOG.warnf(
              "Grant %s of provider %s has no refresh token and its access token is ending:"
                  + " reauthorization required",
              grant.id, provider.id());
        } else {
          LOG.warnf(
              "Provider %s rejected the refresh token of grant %s (%s): reauthorization required",
              provider.id(), grant.id, e.errorCode());
        }
        return RefreshFailures.reauthorizationRequired(grant.id);
      }
      case CLIENT_REJECTED, REQUEST_REJECTED -> {
        store.recordFailure(grant.id, owner, e.errorCode(), null, now.plus(backoff(grant)));
        LOG.warnf(
            "Provider %s refused the broker's token request for grant %s: %s (status %d)",
            provider.id(), grant.id, e.errorCode(), e.status());
        return RefreshFailures.upstreamRejected(provider.id(), e.errorCode());
      }
      default -> {
        Duration retryAfter = e.retryAfter().orElse(config.defaultRetryAfter());
        if (e.kind() == UpstreamException.Kind.RATE_LIMITED && e.status() == 429) {
          rateGuard.holdUntil(provider.id(), now.plus(retryAfter));
        }
        store.recordFailure(grant.id, owner, e.errorCode(), null, now.plus(backoff(grant)));
        LOG.warnf(
            "Provider %s unavailable for grant %s: %s", provider.id(), grant.id, e.getMessage());
        return RefreshFailures.upstreamUnavailable(provider.id(), retryAfter);
      }
    }
  }

  private static Duration backoff(GrantEntity grant) {
    long seconds = Math.min(600, 5L << Math.min(grant.refreshFailures, 7));
    return Duration.ofSeconds(seconds / 2 + ThreadLocalRandom.current().nextLong(seconds / 2 + 1));
  }

  private GrantEntity current(String grantId) {
    GrantEntity grant =
        store
            .find(grantId)
            .orElseThrow(
                () -> ApiException.notFound(ProblemCodes.GRANT_NOT_FOUND, "No grant " + grantId));
    if (grant.status != GrantStatus.ACTIVE) {
      throw RefreshFailures.reauthorizationRequired(grantId);
    }
    return grant;
  }

  private void pause() {
    long base = config.pollInterval().toMillis();
    sleep(Duration.ofMillis(base + ThreadLocalRandom.current().nextLong(base + 1)));
  }

  private static void sleep(Duration duration) {
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while refreshing", e);
    }
  }
}
