package dev.tokenbroker.grant;

import dev.tokenbroker.api.Ids;
import dev.tokenbroker.cluster.ChangeAnnouncer;
import dev.tokenbroker.cluster.ChangeNotice;
import dev.tokenbroker.ops.SqlTimes;
import dev.tokenbroker.provider.Scopes;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.persistence.EntityManager;
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
  private final EntityManager em;
  private final Clock clock;
  private final ChangeAnnouncer announcer;

  public GrantStore(
      EntityManager em,
      Clock clock,
      Event<GrantStatusChanged> statusChanged,
      ChangeAnnouncer announcer) {
    this.em = em;
    this.clock = clock;
    this.statusChanged = statusChanged;
    this.announcer = announcer;
  }

  @Transactional
  public Optional<GrantEntity> find(String id) {
    return Optional.ofNullable(em.find(GrantEntity.class, id));
  }

  @Transactional
  public Optional<GrantEntity> findBySubject(String providerId, String subject) {
    return em.createNamedQuery(GrantEntity.BY_SUBJECT, GrantEntity.class)
        .setParameter("p", providerId)
        .setParameter("s", subject)
        .getResultStream()
        .findFirst();
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
      em.persist(grant);
    } else {
      grant.version++;
      announcer.announce(ChangeNotice.grant(providerId, subject));
    }
    em.flush();
    return new Upserted(
        grant,
        replaced != null && !replaced.equals(grant.refreshTokenCiphertext) ? replaced : null);
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
        em.createQuery("from GrantEntity g where g.providerId = :p", GrantEntity.class)
            .setParameter("p", providerId)
            .getResultList();
    em.createQuery("delete from GrantEntity g where g.providerId = :p")
        .setParameter("p", providerId)
        .executeUpdate();
    grants.forEach(em::detach);
    return grants;
  }

  @Transactional
  public long countOf(String providerId) {
    return em.createQuery("select count(g) from GrantEntity g where g.providerId = :p", Long.class)
        .setParameter("p", providerId)
        .getSingleResult();
  }

  /** Rows of (provider id, status, count) over all grants, for the gauges. */
  @Transactional
  public List<Object[]> countsByProviderAndStatus() {
    List<Object[]> rows =
        em.createNamedQuery(GrantEntity.COUNTS_BY_PROVIDER_AND_STATUS, Object[].class)
            .getResultList();
    return rows.stream()
        .map(row -> new Object[] {row[0], GrantStatus.valueOf((String) row[1]), row[2]})
        .toList();
  }

  /** When the most overdue active grant was due. */
  @Transactional
  public Optional<Instant> oldestDueRefresh() {
    Object oldest =
        em.createNativeQuery("select min(next_refresh_at) from oauth_grant where status = 'ACTIVE'")
            .getSingleResult();
    return Optional.ofNullable(oldest).map(SqlTimes::toInstant);
  }

  /** Makes every active grant of the provider due now (operations and benchmarks). */
  @Transactional
  public int makeAllDue(String providerId) {
    return em.createQuery(
            "update GrantEntity g set g.nextRefreshAt = :now"
                + " where g.providerId = :p and g.status = :active")
        .setParameter("now", clock.instant())
        .setParameter("p", providerId)
        .setParameter("active", GrantStatus.ACTIVE)
        .executeUpdate();
  }

  @Transactional
  public boolean delete(String grantId) {
    GrantEntity grant = em.find(GrantEntity.class, grantId);
    if (grant == null) {
      return false;
    }
    em.remove(grant);
    announcer.announce(ChangeNotice.grant(grant.providerId, grant.subject));
    return true;
  }

  /** The grant's current serving state; empty when gone. */
  @Transactional
  public Optional<ServingState> servingState(String providerId, String subject) {
    List<Object[]> rows =
        em.createNamedQuery(GrantEntity.SERVING_STATE, Object[].class)
            .setParameter("p", providerId)
            .setParameter("s", subject)
            .getResultList();
    return rows.stream()
        .findFirst()
        .map(
            row ->
                new ServingState(
                    (String) row[0],
                    GrantStatus.valueOf((String) row[1]),
                    SqlTimes.toInstant(row[2]),
                    SqlTimes.toInstant(row[3]),
                    (String) row[4]));
  }

  /** What a cached grant serves from: changed when any of these changed. */
  public record ServingState(
      String id,
      GrantStatus status,
      Instant accessTokenIssuedAt,
      Instant accessTokenExpiresAt,
      String scopes) {}
}
