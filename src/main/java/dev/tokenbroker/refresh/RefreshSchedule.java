package dev.tokenbroker.refresh;

import dev.tokenbroker.provider.ProviderSettings;
import java.time.Duration;
import java.time.Instant;
import java.util.random.RandomGenerator;

/**
 * When a grant is next due: issued_at + lifetime × ratio, less a little jitter (DESIGN §3.4); no
 * later than the provider's keep-alive period; and, for a grant that cannot be refreshed, at the
 * expiry of its access token, when it turns reauthorization_required.
 */
public final class RefreshSchedule {

  private RefreshSchedule() {}

  public static Instant nextRefreshAt(
      ProviderSettings provider,
      Instant issuedAt,
      Instant expiresAt,
      boolean refreshable,
      double jitter,
      RandomGenerator random) {
    if (!refreshable && !provider.usesClientCredentials() && expiresAt != null) {
      return expiresAt;
    }
    Instant due =
        nextRefreshAt(
            issuedAt, expiresAt, provider.definition().refreshAheadRatio(), jitter, random);
    if (provider.definition().keepAliveSeconds() != null) {
      Instant keepAlive = issuedAt.plusSeconds(provider.definition().keepAliveSeconds());
      return keepAlive.isBefore(due) ? keepAlive : due;
    }
    return due;
  }

  static Instant nextRefreshAt(
      Instant issuedAt, Instant expiresAt, double ratio, double jitter, RandomGenerator random) {
    if (expiresAt == null || !expiresAt.isAfter(issuedAt)) {
      return issuedAt;
    }
    long lifetimeMillis = Duration.between(issuedAt, expiresAt).toMillis();
    double share = ratio - jitter * random.nextDouble();
    return issuedAt.plusMillis((long) (lifetimeMillis * Math.max(0.0, share)));
  }
}
