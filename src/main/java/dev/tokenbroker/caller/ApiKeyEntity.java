package dev.tokenbroker.caller;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** A caller's API key: its id and the SHA-256 of its secret part, never the key. */
@Entity
@Table(name = "api_key")
public class ApiKeyEntity {
  @Id public String id;

  @Column(name = "caller_id")
  public String callerId;

  @Column(name = "secret_sha256")
  public String secretSha256;

  @Column(name = "created_at")
  public Instant createdAt;
}
