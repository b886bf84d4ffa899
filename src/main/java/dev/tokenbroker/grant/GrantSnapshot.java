package dev.tokenbroker.grant;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.List;

/** A grant as token serving needs it, access token decrypted; lives only in memory. */
public record GrantSnapshot(
    String id,
    String providerId,
    String subject,
    List<String> scopes,
    GrantStatus status,
    String accessToken,
    Instant accessTokenIssuedAt,
    Instant accessTokenExpiresAt,
    String accessTokenScope) {

  /** Whether {@code presented} is this grant's access token (compared in constant time). */
  public boolean hasAccessToken(String presented) {
    return accessToken != null
        && presented != null
        && MessageDigest.isEqual(
            accessToken.getBytes(StandardCharsets.UTF_8),
            presented.getBytes(StandardCharsets.UTF_8));
  }

  /** Whether the access token stays valid for at least {@code seconds} after {@code now}. */
  public boolean validFor(Instant now, long seconds) {
    return accessToken != null
        && accessTokenExpiresAt != null
        && !accessTokenExpiresAt.isBefore(now.plusSeconds(seconds));
  }

  /**
   * Whether the access token may be served to a caller that needs {@code minValidity} seconds. When
   * the provider issues tokens shorter than that, a token with at least 90% of its lifetime left is
   * as good as a new one would be.
   */
  public boolean satisfies(Instant now, long minValidity) {
    if (accessToken == null || accessTokenExpiresAt == null || !accessTokenExpiresAt.isAfter(now)) {
      return false;
    }
    long needed = minValidity;
    if (accessTokenIssuedAt != null) {
      long lifetime = accessTokenExpiresAt.getEpochSecond() - accessTokenIssuedAt.getEpochSecond();
      needed = Math.min(minValidity, lifetime * 9 / 10);
    }
    return validFor(now, needed);
  }

  @Override
  public String toString() {
    return "GrantSnapshot[" + id + ", " + status + ", expires " + accessTokenExpiresAt + "]";
  }
}
