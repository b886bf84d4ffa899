package dev.tokenbroker.upstream;

import dev.tokenbroker.provider.ProviderChanged;
import dev.tokenbroker.provider.ProviderSettings;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.faulttolerance.api.CircuitBreakerState;
import io.smallrye.faulttolerance.api.Guard;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.eclipse.microprofile.faulttolerance.exceptions.CircuitBreakerOpenException;
import org.jboss.logging.Logger;

/**
 * SmallRye Fault Tolerance guards per provider: a circuit breaker that opens on outages, and
 * retries with exponential backoff and jitter for failures that are safe to repeat.
 */
@ApplicationScoped
public class ProviderGuards {

  private static final Logger LOG = Logger.getLogger(ProviderGuards.class);

  private final UpstreamConfig config;
  private final MeterRegistry registry;
  private final Map<String, Guards> guards = new ConcurrentHashMap<>();
  private final Map<String, AtomicInteger> circuitStates = new ConcurrentHashMap<>();

  public ProviderGuards(UpstreamConfig config, MeterRegistry registry) {
    this.config = config;
    this.registry = registry;
  }

  /**
   * Runs one token endpoint call under the provider's circuit breaker, retrying where safe: not for
   * providers with a minimum request interval (a retry would be a second request).
   */
  public <T> T call(ProviderSettings provider, Supplier<T> call, Class<T> type) {
    Guards g = guards.computeIfAbsent(provider.id(), this::build);
    Supplier<T> guarded = () -> g.circuit().get(call, type);
    try {
      return provider.definition().minTokenRequestIntervalSeconds() > 0
          ? guarded.get()
          : g.retry().get(guarded, type);
    } catch (CircuitBreakerOpenException open) {
      throw UpstreamException.circuitOpen(provider.id(), config.circuit().delay());
    }
  }

  private Guards build(String providerId) {
    UpstreamConfig.Circuit circuit = config.circuit();
    UpstreamConfig.Retry retry = config.retry();
    AtomicInteger state =
        circuitStates.computeIfAbsent(
            providerId,
            id -> {
              AtomicInteger value = new AtomicInteger();
              Gauge.builder("broker.upstream.circuit.state", value, AtomicInteger::get)
                  .description("Circuit breaker per provider: 0 closed, 1 half-open, 2 open")
                  .tag("provider", id)
                  .register(registry);
              return value;
            });
    Guard circuitGuard =
        Guard.create()
            .withDescription("upstream circuit " + providerId)
            .withCircuitBreaker()
            .when(ProviderGuards::isOutage)
            .requestVolumeThreshold(circuit.requestVolume())
            .failureRatio(circuit.failureRatio())
            .delay(circuit.delay().toMillis(), ChronoUnit.MILLIS)
            .successThreshold(circuit.successThreshold())
            .onStateChange(
                s -> {
                  state.set(
                      switch (s) {
                        case CLOSED -> 0;
                        case HALF_OPEN -> 1;
                        case OPEN -> 2;
                      });
                  if (s == CircuitBreakerState.OPEN) {
                    LOG.warnf("Circuit breaker of provider %s opened", providerId);
                  } else if (s == CircuitBreakerState.CLOSED) {
                    LOG.infof("Circuit breaker of provider %s closed", providerId);
                  }
                })
            .done()
            .build();
    Guard retryGuard =
        Guard.create()
            .withDescription("upstream retry " + providerId)
            .withRetry()
            .maxRetries(retry.maxRetries())
            .delay(retry.delay().toMillis(), ChronoUnit.MILLIS)
            .jitter(retry.delay().toMillis() / 2, ChronoUnit.MILLIS)
            .whenException(e -> e instanceof UpstreamException u && u.retriable())
            .withExponentialBackoff()
            .factor(2)
            .maxDelay(retry.maxDelay().toMillis(), ChronoUnit.MILLIS)
            .done()
            .done()
            .build();
    return new Guards(circuitGuard, retryGuard);
  }

  /** Outages open the circuit; OAuth errors are answers, not outages. */
  private static boolean isOutage(Throwable e) {
    return e instanceof UpstreamException u
        && (u.kind() == UpstreamException.Kind.UNAVAILABLE
            || u.kind() == UpstreamException.Kind.RATE_LIMITED);
  }

  void onProviderChanged(@Observes ProviderChanged changed) {
    guards.remove(changed.providerId());
  }

  private record Guards(Guard circuit, Guard retry) {}
}
