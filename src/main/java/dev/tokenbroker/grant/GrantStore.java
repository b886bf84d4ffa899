package dev.tokenbroker.grant;

import dev.tokenbroker.api.Ids;
import dev.tokenbroker.cluster.ChangeAnnouncer;
import dev.tokenbroker.cluster.ChangeNotice;
import dev.tokenbroker.db.Database;
import dev.tokenbroker.ops.SqlTimes;
import dev.tokenbroker.provider.Scopes;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The grant rows: lookups, the upsert of a new authorization or import, deletes and counts (pages:
 * {@link GrantPages}). The lease and attempt columns belong to {@code refresh.lease.LeaseStore}
 * (ADR 10).
 */
@ApplicationScoped
public class GrantStore {

  private final Event<GrantStatusChanged> statusChanged;
  private final Database db;
  private final Clock clock;
  private final ChangeAnnouncer announcer;

  public GrantStore(
      Database db,
      Clock clock,
      Event<GrantStatusChanged> statusChanged,
      ChangeAnnouncer announcer) {
    this.db = db;
    this.clock = clock;
    this.statusChanged = statusChanged;
    this.announcer = announcer;
  }

  @Transactional
  public Optional<GrantEntity> find(String id) {
    return GrantEntity.find(db, id);
  }

  @Transactional
  public Optional<GrantEntity> findBySubject(String providerId, String subject) {
    return db.first(
        "Reading the grant of a subject",
        "select "
            + GrantEntity.COLUMNS
            + " from oauth_grant where provider_id = ?1 and subject = ?2",
        GrantEntity::read,
        providerId,
        subject);
  }

  /**
   * Creates the grant of (provider, subject) or replaces its tokens and scopes, keeping its id (a
   * second authorization of the same subject). {@code seal} seals tokens for the row id.
   */
  @Transactional
  public Upserted upsert(
      String providerId,
      String subject,
      List<String> scopes,
      java.util.function.Function<String, TokenWrite> seal) {
    return upsert(providerId, subject, scopes, null, seal);
  }

  /**
   * As above; a grant created here gets {@code newId} when it is not null (an id already shown).
   */
  @Transactional
  public Upserted upsert(
      String providerId,
      String subject,
      List<String> scopes,
      String newId,
      java.util.function.Function<String, TokenWrite> seal) {
    Instant now = clock.instant();
    GrantEntity grant = findBySubject(providerId, subject).orElse(null);
    boolean created = grant == null;
    if (created) {
      grant = new GrantEntity();
      grant.id = newId != null ? newId : Ids.newId("grt");
      grant.providerId = providerId;
      grant.subject = subject;
      grant.createdAt = now;
    }
    if (!created && grant.status != GrantStatus.ACTIVE) {
      statusChanged.fire(
          new GrantStatusChanged(
              grant.id,
              grant.providerId,
              grant.subject,
              grant.status,
              GrantStatus.ACTIVE,
              null,
              now));
    }
    TokenWrite tokens = seal.apply(grant.id);
    grant.scopes = Scopes.join(scopes);
    grant.status = GrantStatus.ACTIVE;
    grant.accessTokenCiphertext = tokens.accessTokenCiphertext();
    grant.accessTokenScopes = tokens.accessTokenScope();
    grant.accessTokenIssuedAt = tokens.issuedAt();
    grant.accessTokenExpiresAt = tokens.expiresAt();
    grant.nextRefreshAt = tokens.nextRefreshAt();
    String replaced = created ? null : grant.refreshTokenCiphertext;
    if (tokens.refreshTokenCiphertext() != null || created) {
      grant.refreshTokenCiphertext = tokens.refreshTokenCiphertext();
      grant.refreshTokenGeneration++;
    }
    grant.attemptGeneration = null;
    grant.attemptStartedAt = null;
    grant.lastRefreshedAt = tokens.accessTokenCiphertext() == null ? null : tokens.issuedAt();
    grant.refreshFailures = 0;
    grant.lastErrorCode = null;
    grant.lastErrorAt = null;
    grant.updatedAt = now;
    if (created) {
      db.update("Storing grant " + grant.id, GrantEntity.INSERT, grant.values());
    } else {
      grant.version++;
      update(grant);
      announcer.announce(ChangeNotice.grant(providerId, subject));
    }
    return new Upserted(
        grant,
        replaced != null && !replaced.equals(grant.refreshTokenCiphertext) ? replaced : null);
  }

  /** Writes what an upsert changes; the lease columns stay whatever they are now. */
  private void update(GrantEntity g) {
    db.update(
        "Storing grant " + g.id,
        "update oauth_grant set scopes = ?2, status = ?3, refresh_token_ct = ?4,"
            + " access_token_ct = ?5, access_token_scopes = ?6, access_token_issued_at = ?7,"
            + " access_token_expires_at = ?8, last_refreshed_at = ?9, next_refresh_at = ?10,"
            + " refresh_token_generation = ?11, attempt_generation = null,"
            + " attempt_started_at = null, refresh_failures = 0, last_error_code = null,"
            + " last_error_at = null, updated_at = ?12, version = ?13 where id = ?1",
        g.id,
        g.scopes,
        g.status,
        g.refreshTokenCiphertext,
        g.accessTokenCiphertext,
        g.accessTokenScopes,
        g.accessTokenIssuedAt,
        g.accessTokenExpiresAt,
        g.lastRefreshedAt,
        g.nextRefreshAt,
        g.refreshTokenGeneration,
        g.updatedAt,
        g.version);
  }

  /**
   * The grant after an upsert, and the ciphertext of the refresh token it replaced (null when none
   * was replaced), which the caller revokes upstream once this is committed.
   */
  public record Upserted(GrantEntity grant, String replacedRefreshTokenCiphertext) {}

  /** Deletes every grant of a provider (its cascade delete); returns the grants deleted. */
  @Transactional
  public List<GrantEntity> deleteAllOf(String providerId) {
    List<GrantEntity> grants =
        db.list(
            "Reading the grants of provider " + providerId,
            "select " + GrantEntity.COLUMNS + " from oauth_grant where provider_id = ?1",
            GrantEntity::read,
            providerId);
    db.update(
        "Deleting the grants of provider " + providerId,
        "delete from oauth_grant where provider_id = ?1",
        providerId);
    return grants;
  }

  @Transactional
  public long countOf(String providerId) {
    return ((Number)
            db.value(
                "Counting the grants of provider " + providerId,
                "select count(*) from oauth_grant where provider_id = ?1",
                providerId))
        .longValue();
  }

  /** Rows of (provider id, status, count) over all grants, for the gauges. */
  @Transactional
  public List<Object[]> countsByProviderAndStatus() {
    List<Object[]> rows =
        db.rows(
            "Counting grants",
            "select provider_id, status, count(*) from oauth_grant group by provider_id, status");
    return rows.stream()
        .map(row -> new Object[] {row[0], GrantStatus.valueOf((String) row[1]), row[2]})
        .toList();
  }

  /** When the most overdue active grant was due. */
  @Transactional
  public Optional<Instant> oldestDueRefresh() {
    Object oldest =
        db.value(
            "Reading the oldest due refresh",
            "select min(next_refresh_at) from oauth_grant where status = 'ACTIVE'");
    return Optional.ofNullable(oldest).map(SqlTimes::toInstant);
  }

  /** Makes every active grant of the provider due now (operations and benchmarks). */
  @Transactional
  public int makeAllDue(String providerId) {
    return db.update(
        "Making the grants of provider " + providerId + " due",
        "update oauth_grant set next_refresh_at = ?1 where provider_id = ?2 and status = ?3",
        clock.instant(),
        providerId,
        GrantStatus.ACTIVE);
  }

  @Transactional
  public boolean delete(String grantId) {
    GrantEntity grant = find(grantId).orElse(null);
    if (grant == null) {
      return false;
    }
    db.update("Deleting grant " + grantId, "delete from oauth_grant where id = ?1", grantId);
    announcer.announce(ChangeNotice.grant(grant.providerId, grant.subject));
    return true;
  }

  /** The grant's current serving state; empty when gone. */
  @Transactional
  public Optional<ServingState> servingState(String providerId, String subject) {
    return db.first(
        "Reading the serving state of a grant",
        "select id, status, access_token_issued_at, access_token_expires_at, scopes"
            + " from oauth_grant where provider_id = ?1 and subject = ?2",
        row ->
            new ServingState(
                row.getString("id"),
                Database.enumValue(row, "status", GrantStatus.class),
                Database.instant(row, "access_token_issued_at"),
                Database.instant(row, "access_token_expires_at"),
                row.getString("scopes")),
        providerId,
        subject);
  }

  /** What a cached grant serves from: changed when any of these changed. */
  public record ServingState(
      String id,
      GrantStatus status,
      Instant accessTokenIssuedAt,
      Instant accessTokenExpiresAt,
      String scopes) {}
}
