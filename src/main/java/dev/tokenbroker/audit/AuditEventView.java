package dev.tokenbroker.audit;

import java.time.Instant;

/** An audit event as {@code GET /v1/audit-events} shows it. */
public record AuditEventView(
    String id,
    Instant occurredAt,
    String actor,
    String action,
    String outcome,
    String providerId,
    String grantId,
    String subject,
    String target,
    String requestId,
    String detail) {}
