package dev.tokenbroker.grant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.NamedQuery;
import jakarta.persistence.Table;
import java.time.Instant;

/**
 * One subject's authorization at one provider. Tokens are ciphertexts bound to the row id; the
 * lease columns serialize refreshes across replicas (DESIGN §3.3).
 *
 * <p>The statements of the serving path are named queries: Hibernate parses them while the
 * application starts, not in the first requests of a replica that is already ready (a cold JVM
 * parsing one HQL statement in twenty threads at once stalled its first refreshes for 12 s). The
 * two writes of every refresh are plain JDBC ({@code refresh.lease.RefreshStatements}).
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
@NamedQuery(
    name = GrantEntity.COUNTS_BY_PROVIDER_AND_STATUS,
    query =
        "select g.providerId, g.status, count(g) from GrantEntity g"
            + " group by g.providerId, g.status")
public class GrantEntity {
  static final String BY_SUBJECT = "Grant.bySubject";
  static final String SERVING_STATE = "Grant.servingState";
  public static final String CLAIM = "Grant.claim";
  public static final String RENEW_LEASES = "Grant.renewLeases";
  public static final String RELEASE_LEASE = "Grant.releaseLease";
  public static final String RELEASE_LEASE_KEEPING_ATTEMPT = "Grant.releaseLeaseKeepingAttempt";
  static final String COUNTS_BY_PROVIDER_AND_STATUS = "Grant.countsByProviderAndStatus";

  static final String HELD_BY_OWNER = " where g.id = :id and g.leaseOwner = :owner";

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
