package dev.tokenbroker.provider;

import dev.tokenbroker.db.Database;
import dev.tokenbroker.ops.MetricsConfig;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * {@code broker_provider_credentials_rejected{provider}}: 1 while a provider refuses the broker's
 * credentials (its proactive refreshes are stopped), 0 otherwise; read every {@code
 * broker.metrics.refresh-interval}.
 */
@ApplicationScoped
public class ProviderGauges {

  private static final Logger LOG = Logger.getLogger(ProviderGauges.class);

  private final Database db;
  private final MultiGauge rejected;

  public ProviderGauges(Database db, MeterRegistry registry, MetricsConfig config) {
    this.db = db;
    LOG.debugf("Provider gauges are read every %s", config.refreshInterval());
    this.rejected =
        MultiGauge.builder("broker.provider.credentials.rejected")
            .description("1 while the provider refuses the broker's credentials")
            .register(registry);
  }

  @Scheduled(
      every = "${broker.metrics.refresh-interval:15s}",
      concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
  public void update() {
    try {
      List<Object[]> rows =
          QuarkusTransaction.requiringNew()
              .call(
                  () ->
                      db.rows(
                          "Reading refused credentials",
                          "select id, credentials_rejected_at from provider"));
      rejected.register(
          rows.stream()
              .map(
                  row ->
                      MultiGauge.Row.of(
                          Tags.of("provider", (String) row[0]), row[1] == null ? 0 : 1))
              .toList(),
          true);
    } catch (RuntimeException databaseDown) {
      LOG.debugf("Provider gauges not updated: %s", databaseDown.getClass().getSimpleName());
    }
  }
}
