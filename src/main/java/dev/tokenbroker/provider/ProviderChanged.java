package dev.tokenbroker.provider;

/** Fired after a provider was created, replaced or deleted, so caches can drop it. */
public record ProviderChanged(String providerId) {}
