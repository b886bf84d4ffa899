package dev.tokenbroker.grant;

import dev.tokenbroker.api.Ids;
import dev.tokenbroker.caller.AllowRule;
import dev.tokenbroker.cluster.ChangeAnnouncer;
import dev.tokenbroker.cluster.ChangeNotice;
import dev.tokenbroker.ops.SqlTimes;
import dev.tokenbroker.provider.Scopes;
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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.StringJoiner;
import java.util.function.Consumer;

/**
 * Every query on {@code oauth_grant}: lookups, the refresh lease and its attempt record (DESIGN
 * §3.3, ADR 7), the scheduler's due grants and the provider cascade.
 */
@ApplicationScoped
public class GrantStore {

  private final Event<GrantStatusChanged> statusChanged;
  private final EntityManager em;
  private final Clock clock;
  private final ChangeAnnouncer announcer;
  private final RefreshStatements refreshStatements;

  public GrantStore(
      EntityManager em,
      Clock clock,
      Event<GrantStatusChanged> statusChanged,
      ChangeAnnouncer announcer,
      RefreshStatements refreshStatements) {
    this.em = em;
    this.refreshStatements = refreshStatements;
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
   * Claims up to {@code limit} due grants for {@code owner}'s scheduler in one transaction: the
   * scan above and one UPDATE that marks them leased until {@code duration} from now, so that no
   * scan here or on another replica returns them again while they wait for a worker. A claim is not
   * a lease: the worker still takes the grant's lease (which a claim never blocks) and checks that
   * it is due. Returns each claimed grant's id and provider id.
   */
  @Transactional
  @SuppressWarnings("unchecked")
  public List<Object[]> claimDue(String owner, Duration duration, int limit) {
    Instant now = clock.instant();
    List<Object[]> due =
        em.createNativeQuery(DUE_GRANTS)
            .setParameter(1, Timestamp.from(now))
            .setParameter(2, limit)
            .getResultList();
    if (!due.isEmpty()) {
      em.createNamedQuery(GrantEntity.CLAIM)
          .setParameter("claimant", claimant(owner))
          .setParameter("until", now.plus(duration))
          .setParameter("ids", due.stream().map(row -> (String) row[0]).toList())
          .executeUpdate();
    }
    return due;
  }

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
    return em.createNamedQuery(GrantEntity.COUNTS_BY_PROVIDER_AND_STATUS, Object[].class)
        .getResultList();
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

  /** The grant's current serving state: id, status, access token times; empty when gone. */
  @Transactional
  public Optional<Object[]> servingState(String providerId, String subject) {
    return em.createNamedQuery(GrantEntity.SERVING_STATE, Object[].class)
        .setParameter("p", providerId)
        .setParameter("s", subject)
        .getResultStream()
        .findFirst();
  }

  /** One page of grants ordered by id, after {@code cursor}, with optional filters. */
  @Transactional
  public List<GrantEntity> page(
      String providerId,
      String subject,
      GrantStatus status,
      String afterId,
      int limit,
      List<AllowRule> visibleTo) {
    StringBuilder jpql = new StringBuilder("from GrantEntity g where g.id > :after");
    Map<String, Object> parameters = new HashMap<>();
    parameters.put("after", afterId == null ? "" : afterId);
    if (providerId != null) {
      jpql.append(" and g.providerId = :provider");
      parameters.put("provider", providerId);
    }
    if (subject != null) {
      jpql.append(" and g.subject = :subject");
      parameters.put("subject", subject);
    }
    if (status != null) {
      jpql.append(" and g.status = :status");
      parameters.put("status", status);
    }
    if (visibleTo != null) {
      jpql.append(" and (").append(permitted(visibleTo, parameters)).append(")");
    }
    var query =
        em.createQuery(jpql.append(" order by g.id").toString(), GrantEntity.class)
            .setMaxResults(limit);
    parameters.forEach(query::setParameter);
    return query.getResultList();
  }

  /**
   * The grants a consumer's allow rules admit, as a condition inside the query, so that a page is
   * never emptied by filtering after the limit. Subject globs become LIKE patterns.
   */
  private static String permitted(List<AllowRule> rules, Map<String, Object> parameters) {
    if (rules.isEmpty()) {
      return "1 = 0";
    }
    StringJoiner anyRule = new StringJoiner(" or ");
    for (int r = 0; r < rules.size(); r++) {
      AllowRule rule = rules.get(r);
      StringJoiner anySubject = new StringJoiner(" or ", "(", ")");
      for (int s = 0; s < rule.subjects().size(); s++) {
        String name = "s" + r + "_" + s;
        anySubject.add("g.subject like :" + name + " escape '!'");
        parameters.put(name, likePattern(rule.subjects().get(s)));
      }
      String provider = "";
      if (!"*".equals(rule.providerId())) {
        provider = "g.providerId = :r" + r + " and ";
        parameters.put("r" + r, rule.providerId());
      }
      anyRule.add("(" + provider + anySubject + ")");
    }
    return anyRule.toString();
  }

  static String likePattern(String glob) {
    return glob.replace("!", "!!").replace("%", "!%").replace("_", "!_").replace('*', '%');
  }
}
