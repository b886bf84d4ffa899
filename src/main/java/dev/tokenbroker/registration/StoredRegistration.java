package dev.tokenbroker.registration;

import dev.tokenbroker.provider.ProviderRequest;
import java.time.Instant;
import java.util.List;

/**
 * A dynamically registered provider as stored: its definition (to register again with the same one)
 * and its current client (the registration token opened, memory only).
 */
record StoredRegistration(
    ProviderRequest definition,
    List<String> scopes,
    String redirectUri,
    Instant registeredAt,
    RegisteredClient client) {

  /** Whether a PUT with this discovery URL, these scopes and this callback keeps the client. */
  boolean sameAs(ProviderRequest other, List<String> otherScopes, String otherRedirectUri) {
    return definition.preset() == other.preset()
        && definition.discoveryUrl().equals(other.discoveryUrl())
        && java.util.Set.copyOf(scopes).equals(java.util.Set.copyOf(otherScopes))
        && redirectUri.equals(otherRedirectUri);
  }
}
