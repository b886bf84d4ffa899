package dev.tokenbroker.refresh;

import java.time.Duration;
import java.time.Instant;
import java.util.random.RandomGenerator;

/** When a grant is next due: issued_at + lifetime × ratio, less a little jitter (DESIGN §3.4). */
public final class RefreshSchedule {

  private RefreshSchedule() {}

  public static Instant nextRefreshAt(
      Instant issuedAt, Instant expiresAt, double ratio, double jitter, RandomGenerator random) {
    if (expiresAt == null || !expiresAt.isAfter(issuedAt)) {
      return issuedAt;
    }
    long lifetimeMillis = Duration.between(issuedAt, expiresAt).toMillis();
    double share = ratio - jitter * random.nextDouble();
    return issuedAt.plusMillis((long) (lifetimeMillis * Math.max(0.0, share)));
  }
}
