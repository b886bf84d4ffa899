package dev.tokenbroker.provider;

/** A provider began refusing the broker's own client credentials ({@code invalid_client}). */
public record CredentialsRejected(String providerId) {}
