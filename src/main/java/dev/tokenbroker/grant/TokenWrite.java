package dev.tokenbroker.grant;

import java.time.Instant;

/**
 * Newly issued tokens, already sealed, ready to be stored. A null {@code refreshTokenCiphertext}
 * keeps the stored refresh token (the provider did not rotate it).
 */
public record TokenWrite(
    String accessTokenCiphertext,
    String refreshTokenCiphertext,
    String accessTokenScope,
    Instant issuedAt,
    Instant expiresAt,
    Instant nextRefreshAt) {}
