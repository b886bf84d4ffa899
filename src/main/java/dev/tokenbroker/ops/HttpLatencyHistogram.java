package dev.tokenbroker.ops;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.stream.LongStream;

/**
 * Publishes {@code http_server_requests_seconds} as a histogram, so that dashboards can show
 * latency percentiles of {@code POST /v1/tokens} across replicas. Twelve fixed buckets per series,
 * not Micrometer's 69 of a percentiles histogram: every route, method and status has its own
 * series, so the bucket count multiplies the scrape (3,381 bucket lines after a fuzz run).
 */
public class HttpLatencyHistogram {

  private static final double[] BUCKETS_NANOS =
      LongStream.of(2, 5, 10, 25, 50, 100, 250, 500, 1_000, 2_500, 10_000, 30_000)
          .mapToDouble(millis -> Duration.ofMillis(millis).toNanos())
          .toArray();

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
        return DistributionStatisticConfig.builder()
            .percentilesHistogram(false)
            .serviceLevelObjectives(BUCKETS_NANOS)
            .build()
            .merge(config);
      }
    };
  }
}
