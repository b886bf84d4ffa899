package dev.tokenbroker.caller;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** A Kubernetes service account that authenticates as its caller. */
@Entity
@Table(name = "caller_service_account")
public class ServiceAccountEntity {
  /** {@code system:serviceaccount:<namespace>:<name>}, the {@code sub} of its tokens. */
  @Id public String subject;

  @Column(name = "caller_id")
  public String callerId;

  @Column(name = "created_at")
  public Instant createdAt;
}
