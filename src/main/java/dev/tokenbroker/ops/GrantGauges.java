package dev.tokenbroker.ops;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Gauges read from the database every {@code broker.metrics.refresh-interval}: grants by provider
 * and status, and how late the most overdue active grant is.
 */
@ApplicationScoped
public class GrantGauges {

  private final EntityManager em;
  private final Clock clock;
  private final MultiGauge grants;
  private final AtomicLong refreshLagSeconds = new AtomicLong();

  public GrantGauges(EntityManager em, Clock clock, MeterRegistry registry) {
    this.em = em;
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
  @Transactional
  public void update() {
    List<Object[]> counts =
        em.createQuery(
                "select g.providerId, g.status, count(g) from GrantEntity g"
                    + " group by g.providerId, g.status",
                Object[].class)
            .getResultList();
    grants.register(
        counts.stream()
            .map(
                row ->
                    MultiGauge.Row.of(
                        Tags.of("provider", (String) row[0], "status", row[1].toString()),
                        ((Number) row[2]).doubleValue()))
            .toList(),
        true);
    Object oldest =
        em.createNativeQuery("select min(next_refresh_at) from oauth_grant where status = 'ACTIVE'")
            .getSingleResult();
    Instant now = clock.instant();
    long lag =
        oldest == null
            ? 0
            : Math.max(0, Duration.between(SqlTimes.toInstant(oldest), now).getSeconds());
    refreshLagSeconds.set(lag);
  }
}
