package dev.tokenbroker.webhook;

import dev.tokenbroker.api.Ids;
import dev.tokenbroker.db.Database;
import dev.tokenbroker.outbound.OutboundHttp;
import dev.tokenbroker.outbound.OutboundPolicy;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.Startup;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.jboss.logging.Logger;

/**
 * Delivers webhook events from the outbox: claims due deliveries with a lease (any replica may),
 * POSTs them signed, and retries failures with exponential backoff and jitter up to {@code
 * max-attempts}. Receivers get {@code X-Token-Broker-Signature: t=<unix seconds>,v1=<hex
 * HMAC-SHA256 of "t.body">} and may de-duplicate by {@code X-Token-Broker-Delivery}.
 */
@Startup
@ApplicationScoped
public class WebhookSender {

  private static final Logger LOG = Logger.getLogger(WebhookSender.class);
  private static final int BATCH = 50;

  private final Database db;
  private final WebhookConfig config;
  private final Clock clock;
  private final MeterRegistry registry;
  private final OutboundHttp http;
  private final String owner = Ids.newId("sender");

  public WebhookSender(
      Database db,
      WebhookConfig config,
      Clock clock,
      MeterRegistry registry,
      OutboundPolicy outbound,
      OutboundHttp http) {
    this.db = db;
    this.config = config;
    this.clock = clock;
    this.registry = registry;
    this.http = http;
    config.url().ifPresent(url -> requireValid(url, outbound));
  }

  private void requireValid(String url, OutboundPolicy outbound) {
    outbound
        .urlProblem(url)
        .ifPresent(
            problem -> {
              throw new IllegalStateException("broker.webhooks.url " + problem);
            });
    if (config.secret().map(String::length).orElse(0) < 32) {
      throw new IllegalStateException(
          "broker.webhooks.secret (BROKER_WEBHOOKS_SECRET) must be set, at least 32 characters,"
              + " when broker.webhooks.url is");
    }
    LOG.infof("Webhooks are delivered to %s", url);
  }

  @Scheduled(
      every = "${broker.webhooks.poll-interval:2s}",
      concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
  void deliverDue() {
    if (config.url().isEmpty()) {
      return;
    }
    for (Object[] delivery : claim()) {
      deliver(
          (String) delivery[0],
          (String) delivery[1],
          (String) delivery[2],
          ((Number) delivery[3]).intValue());
    }
  }

  private List<Object[]> claim() {
    Instant now = clock.instant();
    return QuarkusTransaction.requiringNew()
        .call(
            () -> {
              List<Object[]> due =
                  db.rows(
                      "Finding due webhook deliveries",
                      "select id, event_type, payload, attempts from webhook_delivery"
                          + " where next_attempt_at <= ?1 and delivered_at is null"
                          + " and (lease_expires_at is null or lease_expires_at < ?1)"
                          + " order by next_attempt_at limit ?2",
                      now,
                      BATCH);
              return due.stream()
                  .filter(
                      d ->
                          db.update(
                                  "Claiming webhook delivery " + d[0],
                                  "update webhook_delivery set lease_owner = ?1,"
                                      + " lease_expires_at = ?2 where id = ?3 and"
                                      + " (lease_expires_at is null or lease_expires_at < ?4)",
                                  owner,
                                  now.plus(config.timeout()).plusSeconds(30),
                                  d[0],
                                  now)
                              == 1)
                  .toList();
            });
  }

  private void deliver(String id, String type, String payload, int attempts) {
    String failure;
    try {
      long timestamp = clock.instant().getEpochSecond();
      HttpRequest request =
          HttpRequest.newBuilder(URI.create(config.url().orElseThrow()))
              .timeout(config.timeout())
              .header("Content-Type", "application/json")
              .header("X-Token-Broker-Event", type)
              .header("X-Token-Broker-Delivery", id)
              .header(
                  "X-Token-Broker-Signature", "t=" + timestamp + ",v1=" + sign(timestamp, payload))
              .POST(HttpRequest.BodyPublishers.ofString(payload, StandardCharsets.UTF_8))
              .build();
      int status = http.status(request, config.timeout());
      if (status >= 200 && status < 300) {
        finish(id, attempts + 1, null, null);
        count("delivered");
        LOG.debugf("Delivered webhook %s (%s)", id, type);
        return;
      }
      failure = "HTTP " + status;
    } catch (OutboundHttp.Unreachable e) {
      if (Thread.currentThread().isInterrupted()) {
        return;
      }
      failure = e.getMessage();
    }
    int made = attempts + 1;
    if (made >= config.maxAttempts()) {
      finish(id, made, null, "gave up after " + made + " attempts: " + failure);
      count("abandoned");
      LOG.errorf(
          "Gave up delivering webhook %s (%s) after %d attempts: %s", id, type, made, failure);
    } else {
      finish(id, made, clock.instant().plus(backoff(made)), failure);
      count("retried");
      LOG.warnf("Webhook %s (%s) attempt %d failed (%s); retrying", id, type, made, failure);
    }
  }

  /** Records an attempt: delivered ({@code next} and {@code error} null), retry, or given up. */
  private void finish(String id, int attempts, Instant next, String error) {
    boolean delivered = next == null && error == null;
    QuarkusTransaction.requiringNew()
        .run(
            () ->
                db.update(
                    "Recording webhook delivery " + id,
                    "update webhook_delivery set attempts = ?1, next_attempt_at = ?2,"
                        + " delivered_at = ?3, last_error = ?4, lease_owner = null,"
                        + " lease_expires_at = null where id = ?5",
                    attempts,
                    next,
                    delivered ? clock.instant() : null,
                    error,
                    id));
  }

  private Duration backoff(int attempts) {
    long base = config.initialBackoff().toMillis() << Math.min(attempts - 1, 20);
    long capped = Math.min(base, config.maxBackoff().toMillis());
    return Duration.ofMillis(capped / 2 + ThreadLocalRandom.current().nextLong(capped / 2 + 1));
  }

  String sign(long timestamp, String payload) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(
          new SecretKeySpec(
              config.secret().orElseThrow().getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      return HexFormat.of()
          .formatHex(mac.doFinal((timestamp + "." + payload).getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException | InvalidKeyException e) {
      throw new IllegalStateException(e);
    }
  }

  private void count(String outcome) {
    Counter.builder("broker.webhook.deliveries")
        .description("Webhook delivery attempts by outcome")
        .tag("outcome", outcome)
        .register(registry)
        .increment();
  }
}
