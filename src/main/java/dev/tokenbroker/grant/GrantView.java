package dev.tokenbroker.grant;

import dev.tokenbroker.provider.Scopes;
import java.time.Instant;
import java.util.List;

/** A grant as the API shows it (DESIGN §4): never a token. */
public record GrantView(
    String id,
    String providerId,
    String subject,
    List<String> scopes,
    GrantStatus status,
    Instant accessTokenExpiresAt,
    Instant lastRefreshedAt,
    Instant nextRefreshAt,
    Instant createdAt,
    Instant updatedAt,
    LastError lastError) {

  /** The most recent failure: an RFC 6749 error code or a broker code, and when. */
  public record LastError(String code, Instant at) {}

  public static GrantView of(GrantEntity g) {
    return new GrantView(
        g.id,
        g.providerId,
        g.subject,
        Scopes.parse(g.scopes),
        g.status,
        g.accessTokenExpiresAt,
        g.lastRefreshedAt,
        g.nextRefreshAt,
        g.createdAt,
        g.updatedAt,
        g.lastErrorCode == null ? null : new LastError(g.lastErrorCode, g.lastErrorAt));
  }
}
