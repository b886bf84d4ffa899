package dev.tokenbroker.grant;

import java.time.Instant;

/**
 * A grant turned {@code reauthorization_required} or recovered from it. Fired synchronously inside
 * the transaction that changed the grant, so observers can write in that same transaction.
 */
public record GrantStatusChanged(
    String grantId,
    String providerId,
    String subject,
    GrantStatus from,
    GrantStatus to,
    String errorCode,
    Instant at) {}
