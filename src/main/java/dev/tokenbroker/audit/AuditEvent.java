package dev.tokenbroker.audit;

import java.time.Instant;

/**
 * One audited action: who ({@code actor}: a caller id, or {@code system} for the scheduler), what
 * ({@code action} on a provider, grant, subject or {@code target}), when, and the outcome ({@code
 * success} or the problem or OAuth error code). Never a token or secret.
 */
public final class AuditEvent {

  final String action;
  final String outcome;
  Instant occurredAt;
  String actor;
  String providerId;
  String grantId;
  String subject;
  String target;
  String requestId;
  String detail;

  private AuditEvent(String action, String outcome) {
    this.action = action;
    this.outcome = outcome;
  }

  public static AuditEvent of(String action, String outcome) {
    return new AuditEvent(action, outcome);
  }

  public static AuditEvent success(String action) {
    return new AuditEvent(action, AuditActions.SUCCESS);
  }

  public AuditEvent provider(String providerId) {
    this.providerId = providerId;
    return this;
  }

  public AuditEvent grant(String grantId) {
    this.grantId = grantId;
    return this;
  }

  public AuditEvent subject(String subject) {
    this.subject = subject;
    return this;
  }

  public AuditEvent target(String target) {
    this.target = target;
    return this;
  }

  public AuditEvent detail(String detail) {
    this.detail = detail == null || detail.length() <= 500 ? detail : detail.substring(0, 500);
    return this;
  }

  /** Overrides the actor taken from the current request (e.g. the caller who started a flow). */
  public AuditEvent actor(String actor) {
    this.actor = actor;
    return this;
  }
}
