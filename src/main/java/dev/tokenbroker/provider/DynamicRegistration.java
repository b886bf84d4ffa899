package dev.tokenbroker.provider;

/**
 * Creates or replaces a provider of a preset that registers itself at its host ({@link
 * Preset#registersDynamically()}): discovery, RFC 7591 registration, then the provider row.
 */
public interface DynamicRegistration {

  ProviderService.Upsert put(String providerId, ProviderRequest body);

  /** Registers a registered provider again (RFC 7592 update where the host offers one). */
  ProviderView registerAgain(String providerId, String reason);
}
