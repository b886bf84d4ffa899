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

  /**
   * Whether the access token may be served to a caller that needs {@code minValidity} seconds. When
   * the provider issues tokens shorter than that, a token with at least 90% of its lifetime left is
   * as good as a new one would be.
   */
  public boolean satisfies(Instant now, long minValidity) {
    return satisfies(
        accessToken != null, accessTokenIssuedAt, accessTokenExpiresAt, now, minValidity);
  }

  /** As {@link #satisfies(Instant, long)}, for a stored grant whose token is still sealed. */
  public static boolean satisfies(GrantEntity stored, Instant now, long minValidity) {
    return satisfies(
        stored.accessTokenCiphertext != null,
        stored.accessTokenIssuedAt,
        stored.accessTokenExpiresAt,
        now,
        minValidity);
  }

  private static boolean satisfies(
      boolean hasToken, Instant issuedAt, Instant expiresAt, Instant now, long minValidity) {
    if (!hasToken || expiresAt == null || !expiresAt.isAfter(now)) {
      return false;
    }
    long needed = minValidity;
    if (issuedAt != null) {
      long lifetime = expiresAt.getEpochSecond() - issuedAt.getEpochSecond();
      needed = Math.min(minValidity, lifetime * 9 / 10);
    }
    return !expiresAt.isBefore(now.plusSeconds(needed));
  }

  @Override
  public String toString() {
    return "GrantSnapshot[" + id + ", " + status + ", expires " + accessTokenExpiresAt + "]";
  }
}
