package dev.tokenbroker.refresh.lease;

import dev.tokenbroker.cluster.ChangeAnnouncer;
import dev.tokenbroker.cluster.ChangeNotice;
import dev.tokenbroker.grant.GrantEntity;
import dev.tokenbroker.grant.GrantStatus;
import dev.tokenbroker.grant.GrantStatusChanged;
import dev.tokenbroker.grant.TokenWrite;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The lease and attempt columns of {@code oauth_grant} (DESIGN §3.3, ADR 7, ADR 10): taking,
 * renewing and releasing a grant's refresh lease, the scheduler's claim of due grants, and the
 * result of a leased refresh, stored or failed.
 */
@ApplicationScoped
public class LeaseStore {

  private final EntityManager em;
  private final Clock clock;
  private final Event<GrantStatusChanged> statusChanged;
  private final ChangeAnnouncer announcer;
  private final RefreshStatements refreshStatements;

  public LeaseStore(
      EntityManager em,
      Clock clock,
      Event<GrantStatusChanged> statusChanged,
      ChangeAnnouncer announcer,
      RefreshStatements refreshStatements) {
    this.em = em;
    this.clock = clock;
    this.statusChanged = statusChanged;
    this.announcer = announcer;
    this.refreshStatements = refreshStatements;
  }

  /**
   * Takes the refresh lease when nobody holds it or the holder's lease ran out, and records in the
   * same UPDATE that a call presenting the current refresh token generation may start now. An
   * earlier attempt whose outcome is unknown (its holder died or lost the answer) stays recorded,
   * with its own start time. Empty when another replica holds the lease or the grant is gone.
   * {@code holderIsDead}: the caller holds the grant's {@link RefreshLocks} lock, which proves that
   * whoever the lease row names is gone, so an unexpired lease is taken too.
   */
  public Optional<GrantLease> tryLease(
      String grantId,
      String owner,
      Duration duration,
      boolean holderIsDead,
      Consumer<GrantLease> ended) {
    Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
    return refreshStatements
        .takeLease(grantId, owner, claimant(owner), now.plus(duration), now, holderIsDead)
        .map(
            grant -> {
              boolean inherited =
                  grant.attemptStartedAt != null
                      && !grant.attemptStartedAt.equals(now)
                      && Long.valueOf(grant.refreshTokenGeneration).equals(grant.attemptGeneration);
              return new GrantLease(this, grant, owner, inherited, ended);
            });
  }

  /** How a claim of {@code owner}'s scheduler names its holder in the lease columns. */
  static String claimant(String owner) {
    return owner + ":claim";
  }

  /** Extends the leases this owner still holds; returns how many it still holds. */
  @Transactional
  public int renewLeases(Collection<String> grantIds, String owner, Duration duration) {
    if (grantIds.isEmpty()) {
      return 0;
    }
    return em.createNamedQuery(GrantEntity.RENEW_LEASES)
        .setParameter("until", clock.instant().plus(duration))
        .setParameter("ids", grantIds)
        .setParameter("owner", owner)
        .executeUpdate();
  }

  /** Extends the claims of this owner's scheduler that no worker has taken up yet. */
  @Transactional
  public int renewClaims(Collection<String> grantIds, String owner, Duration duration) {
    return renewLeases(grantIds, claimant(owner), duration);
  }

  /**
   * Releases a lease without a result. {@code keepAttempt}: a call may have reached the provider
   * and its outcome is unknown, so the attempt record stays for whoever refreshes next.
   */
  @Transactional
  void releaseLease(String grantId, String owner, boolean keepAttempt) {
    em.createNamedQuery(
            keepAttempt ? GrantEntity.RELEASE_LEASE_KEEPING_ATTEMPT : GrantEntity.RELEASE_LEASE)
        .setParameter("id", grantId)
        .setParameter("owner", owner)
        .executeUpdate();
  }

  /**
   * Stores refreshed tokens, clears the attempt and releases the lease in one transaction, only if
   * nobody wrote the grant since {@code expectedVersion} was read. False when the grant changed or
   * is gone. A rotated refresh token starts a new generation.
   */
  public boolean storeRefreshed(String grantId, long expectedVersion, TokenWrite tokens) {
    return refreshStatements.storeRefreshed(grantId, expectedVersion, tokens, clock.instant());
  }

  /**
   * Records a failed refresh and releases the lease. A terminal status also drops the tokens, which
   * are dead upstream; {@code retryAt} schedules the next proactive attempt. Nothing is recorded
   * (false) when the grant was written since {@code expectedVersion}: another holder stored new
   * tokens meanwhile, so this failure says nothing about them.
   */
  @Transactional
  boolean recordFailure(
      String grantId,
      long expectedVersion,
      String owner,
      String errorCode,
      GrantStatus terminal,
      Instant retryAt,
      boolean keepAttempt) {
    Instant now = clock.instant();
    GrantEntity grant = em.find(GrantEntity.class, grantId);
    if (grant == null) {
      return false;
    }
    if (grant.version != expectedVersion) {
      if (owner.equals(grant.leaseOwner)) {
        grant.leaseOwner = null;
        grant.leaseExpiresAt = null;
      }
      return false;
    }
    GrantStatus before = grant.status;
    grant.lastErrorCode = errorCode;
    grant.lastErrorAt = now;
    grant.refreshFailures++;
    if (terminal != null && before != terminal) {
      statusChanged.fire(
          new GrantStatusChanged(
              grant.id, grant.providerId, grant.subject, before, terminal, errorCode, now));
    }
    if (terminal != null) {
      announcer.announce(ChangeNotice.grant(grant.providerId, grant.subject));
      grant.status = terminal;
      grant.refreshTokenCiphertext = null;
      grant.accessTokenCiphertext = null;
      grant.accessTokenExpiresAt = null;
      grant.nextRefreshAt = null;
    } else {
      grant.nextRefreshAt = retryAt;
    }
    if (owner.equals(grant.leaseOwner)) {
      grant.leaseOwner = null;
      grant.leaseExpiresAt = null;
    }
    if (terminal != null || !keepAttempt) {
      grant.attemptGeneration = null;
      grant.attemptStartedAt = null;
    }
    grant.updatedAt = now;
    grant.version++;
    return true;
  }

  /**
   * The due-grant scan: active grants whose next refresh time has come, nobody leases or claims,
   * and whose provider accepts the broker's credentials, most overdue first, driven by the {@code
   * next_refresh_at} index. Rows another scan is claiming right now are skipped, not waited for.
   */
  public static final String DUE_GRANTS =
      "select g.id, g.provider_id from oauth_grant g where g.status = 'ACTIVE'"
          + " and g.next_refresh_at <= ?1"
          + " and (g.lease_expires_at is null or g.lease_expires_at < ?1)"
          + " and g.provider_id not in"
          + " (select p.id from provider p where p.credentials_rejected_at is not null)"
          + " order by g.next_refresh_at limit ?2 for update skip locked";

  /**
   * Grants whose holder died during a refresh call: an attempt is recorded and the lease still
   * names a holder that stopped renewing it (a holder that lives records its failure or releases
   * the lease, clearing the name). They are taken over whether due or not: the provider may have
   * rotated the refresh token, and the stored one works only within its reuse grace. Oldest attempt
   * first, driven by the {@code attempt_started_at} index.
   */
  public static final String INTERRUPTED_GRANTS =
      "select g.id, g.provider_id from oauth_grant g where g.status = 'ACTIVE'"
          + " and g.attempt_started_at is not null and g.lease_owner is not null"
          + " and g.lease_expires_at < ?1"
          + " and g.provider_id not in"
          + " (select p.id from provider p where p.credentials_rejected_at is not null)"
          + " order by g.attempt_started_at limit ?2 for update skip locked";

  /**
   * The grant half of {@link #DUE_GRANTS} for a grant already read under its lease: active, and its
   * next refresh time has come. (The lease and provider conditions hold by then.)
   */
  public static boolean due(GrantEntity grant, Instant now) {
    return grant.status == GrantStatus.ACTIVE
        && grant.nextRefreshAt != null
        && !grant.nextRefreshAt.isAfter(now);
  }

  /**
   * Claims up to {@code limit} due grants for {@code owner}'s scheduler in one transaction: the
   * interrupted and due scans above and one UPDATE that marks them leased until {@code duration}
   * from now, so that no scan here or on another replica returns them again while they wait for a
   * worker. A claim is not a lease: the worker still takes the grant's lease (which a claim never
   * blocks) and checks that it is due. Returns each claimed grant's id and provider id.
   */
  @Transactional
  @SuppressWarnings("unchecked")
  public List<Object[]> claimDue(String owner, Duration duration, int limit) {
    Instant now = clock.instant();
    Map<String, Object[]> found = new LinkedHashMap<>();
    for (String scan : List.of(INTERRUPTED_GRANTS, DUE_GRANTS)) {
      if (found.size() < limit) {
        List<Object[]> rows =
            em.createNativeQuery(scan)
                .setParameter(1, Timestamp.from(now))
                .setParameter(2, limit - found.size())
                .getResultList();
        rows.forEach(row -> found.putIfAbsent((String) row[0], row));
      }
    }
    List<Object[]> due = List.copyOf(found.values());
    if (!due.isEmpty()) {
      em.createNamedQuery(GrantEntity.CLAIM)
          .setParameter("claimant", claimant(owner))
          .setParameter("until", now.plus(duration))
          .setParameter("ids", due.stream().map(row -> (String) row[0]).toList())
          .executeUpdate();
    }
    return due;
  }
}
