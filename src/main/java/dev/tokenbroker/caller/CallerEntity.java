package dev.tokenbroker.caller;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** A stored caller; its allow rules are kept as JSON text. */
@Entity
@Table(name = "caller")
public class CallerEntity {
  @Id public String id;
  public String name;

  @Enumerated(EnumType.STRING)
  public Role role;

  @Column(name = "allow_rules")
  public String allowRules;

  @Column(name = "created_at")
  public Instant createdAt;

  @Column(name = "updated_at")
  public Instant updatedAt;
}
