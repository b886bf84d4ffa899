package dev.tokenbroker.grant;

import dev.tokenbroker.provider.Scopes;
import java.time.Instant;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** A grant as the API shows it (DESIGN §4): never a token. */
public record GrantView(
    @Schema(examples = "grt_abcdefghijklmnopqrst") String id,
    @Schema(examples = "badgr-us") String providerId,
    @Schema(examples = "user-42") String subject,
    @Schema(examples = "[\"r:profile\", \"r:backpack\"]") List<String> scopes,
    GrantStatus status,
    @Schema(examples = "2026-12-04T12:00:00Z") Instant accessTokenExpiresAt,
    @Schema(examples = "2026-12-03T12:00:00Z") Instant lastRefreshedAt,
    @Schema(examples = "2026-12-04T06:00:00Z") Instant nextRefreshAt,
    @Schema(examples = "2026-11-01T09:30:00Z") Instant createdAt,
    @Schema(examples = "2026-12-03T12:00:00Z") Instant updatedAt,
    LastError lastError) {

  /** The most recent failure: an RFC 6749 error code or a broker code, and when. */
  public record LastError(
      @Schema(examples = "invalid_grant") String code,
      @Schema(examples = "2026-12-03T11:59:58Z") Instant at) {}

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
