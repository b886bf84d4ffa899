package dev.tokenbroker.ops;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The service's own meters (DESIGN §4 Operations). Tags carry provider ids, grant types and
 * outcomes only, never subjects or tokens.
 */
@ApplicationScoped
public class BrokerMetrics {

  private final MeterRegistry registry;
  // meters of every token request and refresh, found without building a meter id each time; the
  // keys are as bounded as the tags (provider ids, grant types and outcome codes)
  private final Map<String, Counter> tokenRequests = new ConcurrentHashMap<>();
  private final Map<String, Counter> upstreamRequests = new ConcurrentHashMap<>();
  private final Map<String, Timer> upstreamLatency = new ConcurrentHashMap<>();
  private final Map<String, Counter> proxyRequests = new ConcurrentHashMap<>();
  private final Map<String, Timer> proxyLatency = new ConcurrentHashMap<>();

  public BrokerMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  /** {@code broker_token_requests_total{provider,outcome}}. */
  public void tokenRequest(String provider, String outcome) {
    tokenRequests
        .computeIfAbsent(
            provider + "\n" + outcome,
            key ->
                Counter.builder("broker.token.requests")
                    .description("POST /v1/tokens by outcome")
                    .tag("provider", provider)
                    .tag("outcome", outcome)
                    .register(registry))
        .increment();
  }

  /**
   * {@code broker_upstream_requests_total{provider,grant_type,outcome}} and the latency histogram
   * {@code broker_upstream_request_seconds}.
   */
  public void upstreamRequest(String provider, String grantType, String outcome, Duration took) {
    upstreamRequests
        .computeIfAbsent(
            provider + "\n" + grantType + "\n" + outcome,
            key ->
                Counter.builder("broker.upstream.requests")
                    .description("Token endpoint calls by outcome")
                    .tag("provider", provider)
                    .tag("grant_type", grantType)
                    .tag("outcome", outcome)
                    .register(registry))
        .increment();
    upstreamLatency
        .computeIfAbsent(
            provider + "\n" + grantType,
            key ->
                Timer.builder("broker.upstream.request")
                    .description("Token endpoint call latency")
                    .tag("provider", provider)
                    .tag("grant_type", grantType)
                    .publishPercentileHistogram()
                    .minimumExpectedValue(Duration.ofMillis(5))
                    .maximumExpectedValue(Duration.ofSeconds(30))
                    .register(registry))
        .record(took);
  }

  /**
   * {@code broker_proxy_requests_total{provider,outcome}} and the histogram {@code
   * broker_proxy_request_duration_seconds}: calls through {@code /v1/proxy}, timed until the
   * upstream's status and headers.
   */
  public void proxyRequest(String provider, String outcome, Duration took) {
    proxyRequests
        .computeIfAbsent(
            provider + "\n" + outcome,
            key ->
                Counter.builder("broker.proxy.requests")
                    .description("Calls through /v1/proxy by outcome")
                    .tag("provider", provider)
                    .tag("outcome", outcome)
                    .register(registry))
        .increment();
    proxyLatency
        .computeIfAbsent(
            provider,
            key ->
                Timer.builder("broker.proxy.request.duration")
                    .description(
                        "Time of calls through /v1/proxy until the upstream's status and headers")
                    .tag("provider", provider)
                    .publishPercentileHistogram()
                    .register(registry))
        .record(took);
  }

  /**
   * {@code broker_refresh_interrupted_total{provider}}: grants lost because a refresh whose outcome
   * was unknown (crash, timeout, dropped connection) was then refused by the provider.
   */
  public void refreshInterrupted(String provider) {
    Counter.builder("broker.refresh.interrupted")
        .description("Grants that turned reauthorization_required after an interrupted refresh")
        .tag("provider", provider)
        .register(registry)
        .increment();
  }

  /** {@code broker_refresh_grace_retries_total{provider}}: calls repeated in the reuse grace. */
  public void graceRetry(String provider) {
    Counter.builder("broker.refresh.grace.retries")
        .description("Refresh calls repeated with the same refresh token within its grace window")
        .tag("provider", provider)
        .register(registry)
        .increment();
  }
}
