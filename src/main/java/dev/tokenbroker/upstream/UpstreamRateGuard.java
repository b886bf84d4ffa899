package dev.tokenbroker.upstream;

import com.github.benmanes.caffeine.cache.Caffeine;
import dev.tokenbroker.db.Database;
import dev.tokenbroker.ops.SqlTimes;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.ConcurrentMap;

/**
 * Cluster-wide pacing of token requests per client at a token endpoint (DESIGN §3.5, {@link
 * PacingKey}): one conditional UPDATE takes the next slot, so replicas, and providers sharing one
 * client, together never exceed the allowed rate.
 */
@ApplicationScoped
public class UpstreamRateGuard {

  private final Database db;
  private final Clock clock;
  private final UpstreamConfig config;

  /** Per key of a provider without an interval: its hold as last read, and when it was read. */
  private final ConcurrentMap<String, Hold> holds =
      Caffeine.newBuilder().maximumSize(10_000).<String, Hold>build().asMap();

  private record Hold(Instant until, Instant readAt) {}

  public UpstreamRateGuard(Database db, Clock clock, UpstreamConfig config) {
    this.db = db;
    this.clock = clock;
    this.config = config;
  }

  /**
   * Creates the key's row on its first use; the first request may go at once. Its own transaction,
   * so that a replica that lost the race to create it (duplicate key) carries on.
   */
  @Transactional(Transactional.TxType.REQUIRES_NEW)
  void register(String key) {
    db.update(
        "Registering pacing key " + key,
        "insert into token_endpoint_pacing (pacing_key, next_allowed_at) values (?1, ?2)",
        key,
        clock.instant());
  }

  /**
   * Why a slot is not free: the provider's next slot opens in {@code opensIn}, and {@code inFlight}
   * says a request is still out (its answer decides when the next slot opens).
   */
  public record Busy(Duration opensIn, boolean inFlight) {}

  /**
   * Takes the slot for one token request: empty when taken. A provider with an interval has one
   * request in flight at a time, cluster-wide, and {@link #answered} opens the next slot one
   * interval after the answer, since the provider counts from when it handled the request.
   */
  public Optional<Busy> tryAcquire(String key, int intervalSeconds) {
    Instant now = clock.instant();
    if (intervalSeconds <= 0) {
      // no pacing, only a Retry-After hold to honor: its last read will do for a while
      Instant next = hold(key, now);
      return next.isAfter(now)
          ? Optional.of(new Busy(Duration.between(now, next), false))
          : Optional.empty();
    }
    return QuarkusTransaction.joiningExisting().call(() -> takeSlot(key, intervalSeconds, now));
  }

  /**
   * The Retry-After hold of a key without an interval, as last read, when that read is recent
   * enough ({@code broker.upstream.hold-recheck}); empty when only the database can tell.
   */
  public Optional<Instant> holdFromMemory(String key) {
    Hold known = holds.get(key);
    return recent(known, clock.instant()) ? Optional.of(known.until()) : Optional.empty();
  }

  private boolean recent(Hold known, Instant now) {
    return known != null && now.isBefore(known.readAt().plus(config.holdRecheck()));
  }

  private Instant hold(String key, Instant now) {
    Hold known = holds.get(key);
    if (recent(known, now)) {
      return known.until();
    }
    Instant until =
        QuarkusTransaction.joiningExisting()
            .call(() -> state(key).map(row -> SqlTimes.toInstant(row[0])).orElse(Instant.EPOCH));
    holds.put(key, new Hold(until, now));
    return until;
  }

  private Optional<Busy> takeSlot(String key, int intervalSeconds, Instant now) {
    int taken =
        db.update(
            "Taking a token request slot",
            "update token_endpoint_pacing set next_allowed_at = ?1, in_flight_until = ?2"
                + " where pacing_key = ?3 and next_allowed_at <= ?4"
                + " and (in_flight_until is null or in_flight_until <= ?4)",
            now.plusSeconds(intervalSeconds),
            now.plus(inFlightAllowance()),
            key,
            now);
    if (taken == 1) {
      return Optional.empty();
    }
    Optional<Object[]> state = state(key);
    if (state.isEmpty()) {
      try {
        register(key);
      } catch (RuntimeException createdByAnother) {
        // another replica or thread created it first
      }
      return takeSlot(key, intervalSeconds, clock.instant());
    }
    Instant next = SqlTimes.toInstant(state.get()[0]);
    Instant inFlightUntil = SqlTimes.toInstant(state.get()[1]);
    Duration wait = Duration.between(now, next);
    return Optional.of(
        new Busy(
            wait.isNegative() ? Duration.ZERO : wait,
            inFlightUntil != null && inFlightUntil.isAfter(now)));
  }

  /**
   * The request that took the slot was answered, or gave up: no request is in flight any more, and
   * the next slot opens one interval from now (or later, under a Retry-After hold).
   */
  public void answered(String key, int intervalSeconds) {
    if (intervalSeconds <= 0) {
      return;
    }
    Instant next = clock.instant().plusSeconds(intervalSeconds);
    QuarkusTransaction.joiningExisting()
        .run(
            () ->
                db.update(
                    "Releasing a token request slot",
                    "update token_endpoint_pacing set in_flight_until = null, next_allowed_at ="
                        + " case when next_allowed_at > ?1 then next_allowed_at else ?1 end"
                        + " where pacing_key = ?2",
                    next,
                    key));
  }

  /**
   * How long a request may count as in flight: connection, its one retry, and the answer. A replica
   * that dies mid-request blocks its provider for no longer than this.
   */
  private Duration inFlightAllowance() {
    return config.requestTimeout().plus(config.connectTimeout()).plusSeconds(1);
  }

  private Optional<Object[]> state(String key) {
    return db
        .rows(
            "Reading pacing key " + key,
            "select next_allowed_at, in_flight_until from token_endpoint_pacing"
                + " where pacing_key = ?1",
            key)
        .stream()
        .findFirst();
  }

  /** Honors a provider's Retry-After for every replica: no request before {@code until}. */
  @Transactional
  public void holdUntil(String key, Instant until) {
    if (state(key).isEmpty()) {
      try {
        register(key);
      } catch (RuntimeException createdByAnother) {
        // another replica or thread created it first
      }
    }
    db.update(
        "Holding pacing key " + key,
        "update token_endpoint_pacing set next_allowed_at = ?1"
            + " where pacing_key = ?2 and next_allowed_at < ?1",
        until,
        key);
    holds.merge(
        key,
        new Hold(until, clock.instant()),
        (known, held) -> known.until().isAfter(until) ? known : held);
  }
}
