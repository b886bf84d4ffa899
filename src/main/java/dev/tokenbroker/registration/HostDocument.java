package dev.tokenbroker.registration;

import java.util.List;

/**
 * What the broker needs from a host's discovery document: where to register, authorize, get and
 * revoke tokens, and which scopes the host offers. {@code revocationUrl} may be null.
 */
record HostDocument(
    String registrationUrl,
    String authorizationUrl,
    String tokenUrl,
    String revocationUrl,
    List<String> scopesOffered) {}
