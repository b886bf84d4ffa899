package dev.tokenbroker.authorization;

import java.time.Instant;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** Reply to starting an authorization: where to send the browser. */
public record AuthorizationStarted(
    @Schema(examples = "https://badgr.com/auth/oauth2/authorize?response_type=code&state=...")
        String authorizationUrl,
    @Schema(examples = "kq3Vb1Yd8y0mZ5x2tF7hWc") String state,
    @Schema(examples = "2026-12-03T12:10:00Z") Instant expiresAt) {}
