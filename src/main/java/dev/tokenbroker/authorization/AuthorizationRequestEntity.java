package dev.tokenbroker.authorization;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/**
 * A started authorization; the state itself is never stored, only its SHA-256. After a callback
 * with a return URL it also holds the sealed tokens that wait for the app's confirmation.
 */
@Entity
@Table(name = "authorization_request")
public class AuthorizationRequestEntity {
  @Id
  @Column(name = "state_sha256")
  public String stateSha256;

  @Column(name = "provider_id")
  public String providerId;

  public String subject;
  public String scopes;

  @Column(name = "return_url")
  public String returnUrl;

  @Column(name = "code_verifier_ct")
  public String codeVerifierCiphertext;

  @Column(name = "caller_id")
  public String callerId;

  @Column(name = "created_at")
  public Instant createdAt;

  @Column(name = "expires_at")
  public Instant expiresAt;

  @Column(name = "used_at")
  public Instant usedAt;

  @Column(name = "confirmation_sha256")
  public String confirmationSha256;

  /** The grant the confirmed tokens go to: the subject's existing grant or a reserved new id. */
  @Column(name = "grant_id")
  public String grantId;

  @Column(name = "pending_access_token_ct")
  public String pendingAccessTokenCiphertext;

  @Column(name = "pending_refresh_token_ct")
  public String pendingRefreshTokenCiphertext;

  @Column(name = "pending_scope")
  public String pendingScope;

  @Column(name = "pending_issued_at")
  public Instant pendingIssuedAt;

  @Column(name = "pending_expires_at")
  public Instant pendingExpiresAt;

  @Column(name = "settled_at")
  public Instant settledAt;
}
