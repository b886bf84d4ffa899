package dev.tokenbroker.grant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.NamedNativeQuery;
import jakarta.persistence.NamedQuery;
import jakarta.persistence.Table;
import java.time.Instant;

/**
 * One subject's authorization at one provider. Tokens are ciphertexts bound to the row id; the
 * lease columns serialize refreshes across replicas (DESIGN §3.3).
 *
 * <p>The statements of the serving and refresh path are named queries: Hibernate parses them while
 * the application starts, not in the first requests of a replica that is already ready (a cold JVM
 * parsing one HQL statement in twenty threads at once stalled its first refreshes for 12 s).
 */
@Entity
@Table(name = "oauth_grant")
@NamedQuery(
    name = GrantEntity.BY_SUBJECT,
    query = "from GrantEntity g where g.providerId = :p and g.subject = :s")
@NamedQuery(
    name = GrantEntity.SERVING_STATE,
    query =
        "select g.id, g.status, g.accessTokenIssuedAt, g.accessTokenExpiresAt, g.scopes"
            + " from GrantEntity g where g.providerId = :p and g.subject = :s")
@NamedNativeQuery(name = GrantEntity.LEASE, query = GrantEntity.TAKE_LEASE + ")")
@NamedNativeQuery(
    name = GrantEntity.LEASE_FROM_DEAD_HOLDER,
    query = GrantEntity.TAKE_LEASE + " or lease_owner <> :owner)")
@NamedQuery(
    name = GrantEntity.CLAIM,
    query =
        "update GrantEntity g set g.leaseOwner = :claimant, g.leaseExpiresAt = :until"
            + " where g.id in :ids")
@NamedQuery(
    name = GrantEntity.RENEW_LEASES,
    query =
        "update GrantEntity g set g.leaseExpiresAt = :until"
            + " where g.id in :ids and g.leaseOwner = :owner")
@NamedQuery(
    name = GrantEntity.RELEASE_LEASE,
    query =
        "update GrantEntity g set g.leaseOwner = null, g.leaseExpiresAt = null,"
            + " g.attemptGeneration = null, g.attemptStartedAt = null"
            + GrantEntity.HELD_BY_OWNER)
@NamedQuery(
    name = GrantEntity.RELEASE_LEASE_KEEPING_ATTEMPT,
    query =
        "update GrantEntity g set g.leaseOwner = null, g.leaseExpiresAt = null"
            + GrantEntity.HELD_BY_OWNER)
@NamedNativeQuery(
    name = GrantEntity.STORE_REFRESHED,
    query = GrantEntity.STORE_TOKENS + GrantEntity.UNCHANGED_SINCE_READ)
@NamedNativeQuery(
    name = GrantEntity.STORE_REFRESHED_ROTATED,
    query =
        GrantEntity.STORE_TOKENS
            + ", refresh_token_ct = :refresh,"
            + " refresh_token_generation = refresh_token_generation + 1"
            + GrantEntity.UNCHANGED_SINCE_READ)
@NamedQuery(
    name = GrantEntity.COUNTS_BY_PROVIDER_AND_STATUS,
    query =
        "select g.providerId, g.status, count(g) from GrantEntity g"
            + " group by g.providerId, g.status")
public class GrantEntity {
  static final String BY_SUBJECT = "Grant.bySubject";
  static final String SERVING_STATE = "Grant.servingState";
  static final String LEASE = "Grant.lease";
  static final String LEASE_FROM_DEAD_HOLDER = "Grant.leaseFromDeadHolder";
  static final String CLAIM = "Grant.claim";
  static final String RENEW_LEASES = "Grant.renewLeases";
  static final String RELEASE_LEASE = "Grant.releaseLease";
  static final String RELEASE_LEASE_KEEPING_ATTEMPT = "Grant.releaseLeaseKeepingAttempt";
  static final String STORE_REFRESHED = "Grant.storeRefreshed";
  static final String STORE_REFRESHED_ROTATED = "Grant.storeRefreshedRotated";
  static final String COUNTS_BY_PROVIDER_AND_STATUS = "Grant.countsByProviderAndStatus";

  /**
   * Takes the lease and records the attempt; the named queries close the condition. A claim of this
   * replica's scheduler ({@code :claimant}) never blocks it. The refresh path's writes are SQL:
   * Hibernate rebuilds an HQL update's SQL on every execution, a tenth of a refresh's CPU.
   */
  static final String TAKE_LEASE =
      "update oauth_grant set lease_owner = :owner, lease_expires_at = :until,"
          + " attempt_generation = coalesce(attempt_generation, refresh_token_generation),"
          + " attempt_started_at = coalesce(attempt_started_at, :now)"
          + " where id = :id and (lease_expires_at is null or lease_expires_at < :now"
          + " or lease_owner = :claimant";

  static final String HELD_BY_OWNER = " where g.id = :id and g.leaseOwner = :owner";

  static final String STORE_TOKENS =
      "update oauth_grant set access_token_ct = :access,"
          + " access_token_scopes = :scope, access_token_issued_at = :issued,"
          + " access_token_expires_at = :expires, last_refreshed_at = :issued,"
          + " next_refresh_at = :next, status = :active, refresh_failures = 0,"
          + " last_error_code = null, last_error_at = null, lease_owner = null,"
          + " lease_expires_at = null, attempt_generation = null,"
          + " attempt_started_at = null, updated_at = :now, version = version + 1";

  static final String UNCHANGED_SINCE_READ = " where id = :id and version = :version";

  @Id public String id;

  @Column(name = "provider_id")
  public String providerId;

  public String subject;

  /** Granted scopes, space-delimited. */
  public String scopes;

  @Enumerated(EnumType.STRING)
  public GrantStatus status;

  @Column(name = "refresh_token_ct")
  public String refreshTokenCiphertext;

  @Column(name = "access_token_ct")
  public String accessTokenCiphertext;

  @Column(name = "access_token_scopes")
  public String accessTokenScopes;

  @Column(name = "access_token_issued_at")
  public Instant accessTokenIssuedAt;

  @Column(name = "access_token_expires_at")
  public Instant accessTokenExpiresAt;

  @Column(name = "last_refreshed_at")
  public Instant lastRefreshedAt;

  @Column(name = "next_refresh_at")
  public Instant nextRefreshAt;

  @Column(name = "lease_owner")
  public String leaseOwner;

  @Column(name = "lease_expires_at")
  public Instant leaseExpiresAt;

  /** Counts the refresh tokens this grant has held; bumped whenever a new one is stored. */
  @Column(name = "refresh_token_generation")
  public long refreshTokenGeneration;

  /** The generation presented by a refresh call whose outcome is not known yet. */
  @Column(name = "attempt_generation")
  public Long attemptGeneration;

  /** When that call started (the earliest, when several presented the same generation). */
  @Column(name = "attempt_started_at")
  public Instant attemptStartedAt;

  @Column(name = "refresh_failures")
  public int refreshFailures;

  @Column(name = "last_error_code")
  public String lastErrorCode;

  @Column(name = "last_error_at")
  public Instant lastErrorAt;

  @Column(name = "created_at")
  public Instant createdAt;

  @Column(name = "updated_at")
  public Instant updatedAt;

  /** Bumped by every write; conditional updates compare it. */
  public long version;
}
