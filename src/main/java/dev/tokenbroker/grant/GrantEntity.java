package dev.tokenbroker.grant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.NamedNativeQuery;
import jakarta.persistence.Table;
import java.time.Instant;

/**
 * One subject's authorization at one provider. Tokens are ciphertexts bound to the row id; the
 * lease columns serialize refreshes across replicas (DESIGN §3.3).
 *
 * <p>The statements of the serving and refresh paths are named native SQL: nothing on those paths
 * waits for Hibernate's HQL parser. A cold JVM parsing one HQL statement in twenty threads at once
 * stalled its first refreshes for 12 s (ADR 7), and parsing these seven as HQL at start took about
 * 3 s of CPU, most of the time to ready (issue 31). The two writes of every refresh are plain JDBC
 * ({@code refresh.lease.RefreshStatements}).
 */
@Entity
@Table(name = "oauth_grant")
@NamedNativeQuery(
    name = GrantEntity.BY_SUBJECT,
    query = "select * from oauth_grant where provider_id = :p and subject = :s",
    resultClass = GrantEntity.class)
@NamedNativeQuery(
    name = GrantEntity.SERVING_STATE,
    query =
        "select id, status, access_token_issued_at, access_token_expires_at, scopes"
            + " from oauth_grant where provider_id = :p and subject = :s")
@NamedNativeQuery(
    name = GrantEntity.CLAIM,
    query =
        "update oauth_grant set lease_owner = :claimant, lease_expires_at = :until"
            + " where id in (:ids)")
@NamedNativeQuery(
    name = GrantEntity.RENEW_LEASES,
    query =
        "update oauth_grant set lease_expires_at = :until"
            + " where id in (:ids) and lease_owner = :owner")
@NamedNativeQuery(
    name = GrantEntity.RELEASE_LEASE,
    query =
        "update oauth_grant set lease_owner = null, lease_expires_at = null,"
            + " attempt_generation = null, attempt_started_at = null"
            + GrantEntity.HELD_BY_OWNER)
@NamedNativeQuery(
    name = GrantEntity.RELEASE_LEASE_KEEPING_ATTEMPT,
    query =
        "update oauth_grant set lease_owner = null, lease_expires_at = null"
            + GrantEntity.HELD_BY_OWNER)
@NamedNativeQuery(
    name = GrantEntity.COUNTS_BY_PROVIDER_AND_STATUS,
    query = "select provider_id, status, count(*) from oauth_grant group by provider_id, status")
public class GrantEntity {
  static final String BY_SUBJECT = "Grant.bySubject";
  static final String SERVING_STATE = "Grant.servingState";
  public static final String CLAIM = "Grant.claim";
  public static final String RENEW_LEASES = "Grant.renewLeases";
  public static final String RELEASE_LEASE = "Grant.releaseLease";
  public static final String RELEASE_LEASE_KEEPING_ATTEMPT = "Grant.releaseLeaseKeepingAttempt";
  static final String COUNTS_BY_PROVIDER_AND_STATUS = "Grant.countsByProviderAndStatus";

  static final String HELD_BY_OWNER = " where id = :id and lease_owner = :owner";

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
