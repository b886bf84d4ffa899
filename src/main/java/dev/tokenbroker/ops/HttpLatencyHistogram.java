package dev.tokenbroker.ops;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.time.Duration;

/**
 * Publishes {@code http_server_requests_seconds} as a histogram, so that dashboards can show
 * latency percentiles of {@code POST /v1/tokens} across replicas. Twelve fixed buckets per series,
 * not Micrometer's 69 of a percentiles histogram: every route, method and status has its own
 * series, so the bucket count multiplies the scrape (3,381 bucket lines after a fuzz run).
 */
public class HttpLatencyHistogram {

  private static final double[] BUCKETS_MILLIS = {
    2, 5, 10, 25, 50, 100, 250, 500, 1_000, 2_500, 10_000, 30_000
  };

  @Produces
  @Singleton
  MeterFilter httpServerHistogram() {
    return new MeterFilter() {
      @Override
      public DistributionStatisticConfig configure(
          Meter.Id id, DistributionStatisticConfig config) {
        if (!id.getName().equals("http.server.requests")) {
          return config;
        }
        double[] nanos = new double[BUCKETS_MILLIS.length];
        for (int i = 0; i < nanos.length; i++) {
          nanos[i] = BUCKETS_MILLIS[i] * Duration.ofMillis(1).toNanos();
        }
        return DistributionStatisticConfig.builder()
            .percentilesHistogram(false)
            .serviceLevelObjectives(nanos)
            .build()
            .merge(config);
      }
    };
  }
}
