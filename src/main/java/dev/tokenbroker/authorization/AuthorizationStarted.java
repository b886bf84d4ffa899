package dev.tokenbroker.authorization;

import java.time.Instant;

/** Reply to starting an authorization: where to send the browser. */
public record AuthorizationStarted(String authorizationUrl, String state, Instant expiresAt) {}
