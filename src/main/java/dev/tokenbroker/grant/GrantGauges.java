package dev.tokenbroker.grant;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.jboss.logging.Logger;

/**
 * Gauges read from the database every {@code broker.metrics.refresh-interval}: grants by provider
 * and status, and how late the most overdue active grant is. While the database is down they keep
 * their last values.
 */
@ApplicationScoped
public class GrantGauges {

  private static final Logger LOG = Logger.getLogger(GrantGauges.class);

  private final GrantStore store;
  private final Clock clock;
  private final MultiGauge grants;
  private final AtomicLong refreshLagSeconds = new AtomicLong();

  public GrantGauges(GrantStore store, Clock clock, MeterRegistry registry) {
    this.store = store;
    this.clock = clock;
    this.grants =
        MultiGauge.builder("broker.grants")
            .description("Grants by provider and status")
            .register(registry);
    Gauge.builder("broker.refresh.lag.seconds", refreshLagSeconds, AtomicLong::get)
        .description("How late the most overdue active grant's proactive refresh is")
        .register(registry);
  }

  @Scheduled(
      every = "${broker.metrics.refresh-interval:15s}",
      concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
  public void update() {
    try {
      grants.register(
          store.countsByProviderAndStatus().stream()
              .map(
                  row ->
                      MultiGauge.Row.of(
                          Tags.of("provider", (String) row[0], "status", row[1].toString()),
                          ((Number) row[2]).doubleValue()))
              .toList(),
          true);
      Optional<Instant> oldest = store.oldestDueRefresh();
      Instant now = clock.instant();
      refreshLagSeconds.set(
          oldest.map(due -> Math.max(0, Duration.between(due, now).getSeconds())).orElse(0L));
    } catch (RuntimeException databaseDown) {
      LOG.debugf("Grant gauges not updated: %s", databaseDown.getClass().getSimpleName());
    }
  }
}
