package dev.tokenbroker.provider;

import java.time.Instant;

/**
 * What a provider row keeps of the broker's own registration at the host (RFC 7591 / 7592). The
 * registration access token arrives sealed; the client id and secret travel as the provider's.
 */
public record ClientRegistration(
    String discoveryUrl,
    Instant registeredAt,
    Instant clientSecretExpiresAt,
    String registrationClientUri,
    String registrationAccessTokenCiphertext) {

  void applyTo(ProviderEntity entity) {
    entity.discoveryUrl = discoveryUrl;
    entity.registeredAt = registeredAt;
    entity.clientSecretExpiresAt = clientSecretExpiresAt;
    entity.registrationClientUri = registrationClientUri;
    entity.registrationAccessTokenCiphertext = registrationAccessTokenCiphertext;
    entity.registrationClaimedUntil = null;
  }

  static void clear(ProviderEntity entity) {
    entity.discoveryUrl = null;
    entity.registeredAt = null;
    entity.clientSecretExpiresAt = null;
    entity.registrationClientUri = null;
    entity.registrationAccessTokenCiphertext = null;
    entity.registrationClaimedUntil = null;
  }
}
