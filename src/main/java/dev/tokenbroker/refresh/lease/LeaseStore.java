package dev.tokenbroker.refresh.lease;

import dev.tokenbroker.cluster.ChangeAnnouncer;
import dev.tokenbroker.cluster.ChangeNotice;
import dev.tokenbroker.db.Database;
import dev.tokenbroker.grant.GrantEntity;
import dev.tokenbroker.grant.GrantStatus;
import dev.tokenbroker.grant.GrantStatusChanged;
import dev.tokenbroker.grant.TokenWrite;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.transaction.Transactional;
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

  private final Database db;
  private final Clock clock;
  private final Event<GrantStatusChanged> statusChanged;
  private final ChangeAnnouncer announcer;
  private final RefreshStatements refreshStatements;

  public LeaseStore(
      Database db,
      Clock clock,
      Event<GrantStatusChanged> statusChanged,
      ChangeAnnouncer announcer,
      RefreshStatements refreshStatements) {
    this.db = db;
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
    return db.update(
        "Renewing leases",
        "update oauth_grant set lease_expires_at = ?1 where id in (?2) and lease_owner = ?3",
        clock.instant().plus(duration),
        grantIds,
        owner);
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
    db.update(
        "Releasing the lease of grant " + grantId,
        keepAttempt
            ? "update oauth_grant set lease_owner = null, lease_expires_at = null"
                + " where id = ?1 and lease_owner = ?2"
            : "update oauth_grant set lease_owner = null, lease_expires_at = null,"
                + " attempt_generation = null, attempt_started_at = null"
                + " where id = ?1 and lease_owner = ?2",
        grantId,
        owner);
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
    GrantEntity grant = GrantEntity.find(db, grantId).orElse(null);
    if (grant == null) {
      return false;
    }
    boolean clearAttempt = terminal != null || !keepAttempt;
    int recorded =
        grant.version != expectedVersion
            ? 0
            : db.update(
                "Recording the failed refresh of grant " + grantId,
                "update oauth_grant set last_error_code = ?2, last_error_at = ?3,"
                    + " refresh_failures = refresh_failures + 1, status = ?4,"
                    + " refresh_token_ct = case when ?5 then null else refresh_token_ct end,"
                    + " access_token_ct = case when ?5 then null else access_token_ct end,"
                    + " access_token_expires_at ="
                    + " case when ?5 then null else access_token_expires_at end,"
                    + " next_refresh_at = ?6,"
                    + " lease_owner = case when lease_owner = ?7 then null else lease_owner end,"
                    + " lease_expires_at ="
                    + " case when lease_owner = ?7 then null else lease_expires_at end,"
                    + " attempt_generation = case when ?8 then null else attempt_generation end,"
                    + " attempt_started_at = case when ?8 then null else attempt_started_at end,"
                    + " updated_at = ?3, version = version + 1 where id = ?1 and version = ?9",
                grantId,
                errorCode,
                now,
                terminal != null ? terminal : grant.status,
                terminal != null,
                terminal != null ? null : retryAt,
                owner,
                clearAttempt,
                expectedVersion);
    if (recorded == 0) {
      releaseLease(grantId, owner, true);
      return false;
    }
    if (terminal != null) {
      if (grant.status != terminal) {
        statusChanged.fire(
            new GrantStatusChanged(
                grant.id, grant.providerId, grant.subject, grant.status, terminal, errorCode, now));
      }
      announcer.announce(ChangeNotice.grant(grant.providerId, grant.subject));
    }
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
  public List<Object[]> claimDue(String owner, Duration duration, int limit) {
    Instant now = clock.instant();
    Map<String, Object[]> found = new LinkedHashMap<>();
    for (String scan : List.of(INTERRUPTED_GRANTS, DUE_GRANTS)) {
      if (found.size() < limit) {
        List<Object[]> rows =
            db.list(
                "Finding due grants",
                scan,
                row -> new Object[] {row.getString(1), row.getString(2)},
                now,
                limit - found.size());
        rows.forEach(row -> found.putIfAbsent((String) row[0], row));
      }
    }
    List<Object[]> due = List.copyOf(found.values());
    if (!due.isEmpty()) {
      db.update(
          "Claiming due grants",
          "update oauth_grant set lease_owner = ?1, lease_expires_at = ?2 where id in (?3)",
          claimant(owner),
          now.plus(duration),
          due.stream().map(row -> (String) row[0]).toList());
    }
    return due;
  }
}
