package dev.tokenbroker.provider;

/**
 * Fired when a provider is deleted, for observers of the committed deletion: where the broker had
 * registered itself, the host's registration is deleted too (RFC 7592).
 */
public record ProviderRemoved(
    String providerId, String registrationClientUri, String registrationAccessTokenCiphertext) {}
