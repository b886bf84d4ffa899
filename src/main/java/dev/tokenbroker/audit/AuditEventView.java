package dev.tokenbroker.audit;

import java.time.Instant;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** An audit event as {@code GET /v1/audit-events} shows it. */
public record AuditEventView(
    @Schema(examples = "evt_abcdefghijklmnopqrst") String id,
    @Schema(examples = "2026-12-03T12:00:00Z") Instant occurredAt,
    @Schema(examples = "clr_abcdefghijklmnopqrst") String actor,
    @Schema(examples = "token.issued") String action,
    @Schema(examples = "success") String outcome,
    @Schema(examples = "badgr-us") String providerId,
    @Schema(examples = "grt_abcdefghijklmnopqrst") String grantId,
    @Schema(examples = "user-42") String subject,
    String target,
    @Schema(examples = "0e8b6564-df7f-4042-a66d-fc77153da083") String requestId,
    String detail) {}
