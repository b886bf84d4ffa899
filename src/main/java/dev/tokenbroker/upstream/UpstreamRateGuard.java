package dev.tokenbroker.upstream;

import dev.tokenbroker.ops.SqlTimes;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Cluster-wide pacing of token requests per provider (DESIGN §3.5): one conditional UPDATE takes
 * the next slot, so replicas together never exceed the provider's allowed rate.
 */
@ApplicationScoped
public class UpstreamRateGuard {

  private final EntityManager em;
  private final Clock clock;
  private final UpstreamConfig config;

  public UpstreamRateGuard(EntityManager em, Clock clock, UpstreamConfig config) {
    this.em = em;
    this.clock = clock;
    this.config = config;
  }

  /** Registers a new provider; the first request may go at once. */
  @Transactional
  public void register(String providerId) {
    em.createNativeQuery(
            "insert into provider_rate_guard (provider_id, next_allowed_at) values (?1, ?2)")
        .setParameter(1, providerId)
        .setParameter(2, Timestamp.from(clock.instant()))
        .executeUpdate();
  }

  /**
   * Takes the slot for one token request: empty when taken, otherwise how long until the next slot
   * opens. The slot stays reserved while the request may be in flight (interval plus the longest a
   * call can take), so a slow request never overlaps the next one; {@link #answered} then opens the
   * next slot one interval after the answer.
   */
  @Transactional
  public Optional<Duration> tryAcquire(String providerId, int intervalSeconds) {
    Instant now = clock.instant();
    if (intervalSeconds <= 0) {
      // no pacing, only a Retry-After hold to honor: a read suffices and takes no row lock
      return nextAllowedAt(providerId)
          .filter(next -> next.isAfter(now))
          .map(next -> Duration.between(now, next));
    }
    int taken =
        em.createNativeQuery(
                "update provider_rate_guard set next_allowed_at = ?1"
                    + " where provider_id = ?2 and next_allowed_at <= ?3")
            .setParameter(
                1, Timestamp.from(now.plusSeconds(intervalSeconds).plus(inFlightAllowance())))
            .setParameter(2, providerId)
            .setParameter(3, Timestamp.from(now))
            .executeUpdate();
    if (taken == 1) {
      return Optional.empty();
    }
    Optional<Instant> next = nextAllowedAt(providerId);
    if (next.isEmpty()) {
      register(providerId);
      return tryAcquire(providerId, intervalSeconds);
    }
    Duration wait = Duration.between(now, next.get());
    return Optional.of(wait.isNegative() ? Duration.ZERO : wait);
  }

  /**
   * The provider answered (or the call gave up): the next slot opens one interval from now, since
   * the provider counts from when it handled the request. A longer hold (Retry-After) stays.
   */
  @Transactional
  public void answered(String providerId, int intervalSeconds) {
    if (intervalSeconds <= 0) {
      return;
    }
    Instant next = clock.instant().plusSeconds(intervalSeconds);
    em.createNativeQuery(
            "update provider_rate_guard set next_allowed_at = ?1"
                + " where provider_id = ?2 and next_allowed_at > ?1 and next_allowed_at <= ?3")
        .setParameter(1, Timestamp.from(next))
        .setParameter(2, providerId)
        .setParameter(3, Timestamp.from(next.plus(inFlightAllowance())))
        .executeUpdate();
  }

  /** The longest one token request can be in flight: connection, retry of it, and answer. */
  public Duration inFlightAllowance() {
    return config.requestTimeout().plus(config.connectTimeout()).plusSeconds(1);
  }

  private Optional<Instant> nextAllowedAt(String providerId) {
    return em.createNativeQuery(
            "select next_allowed_at from provider_rate_guard where provider_id = ?1")
        .setParameter(1, providerId)
        .getResultStream()
        .findFirst()
        .map(SqlTimes::toInstant);
  }

  /** Honors a provider's Retry-After for every replica: no request before {@code until}. */
  @Transactional
  public void holdUntil(String providerId, Instant until) {
    em.createNativeQuery(
            "update provider_rate_guard set next_allowed_at = ?1"
                + " where provider_id = ?2 and next_allowed_at < ?1")
        .setParameter(1, Timestamp.from(until))
        .setParameter(2, providerId)
        .executeUpdate();
  }
}
