package dev.tokenbroker.authorization;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** A started authorization; the state itself is never stored, only its SHA-256. */
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
}
