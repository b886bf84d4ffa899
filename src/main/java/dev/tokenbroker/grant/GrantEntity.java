package dev.tokenbroker.grant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/**
 * One subject's authorization at one provider. Tokens are ciphertexts bound to the row id; the
 * lease columns serialize refreshes across replicas (DESIGN §3.3).
 */
@Entity
@Table(name = "oauth_grant")
public class GrantEntity {
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
