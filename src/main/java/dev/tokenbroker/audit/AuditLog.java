package dev.tokenbroker.audit;

import dev.tokenbroker.api.RequestIds;
import dev.tokenbroker.db.Database;
import dev.tokenbroker.ops.AfterCommit;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingDeque;
import org.jboss.logging.Logger;
import org.jboss.logging.MDC;

/**
 * Records audit events without slowing the request that causes them: events go into a bounded
 * buffer and are written in batches ({@link AuditRows}) every {@code broker.audit.flush-interval}.
 * While the database is down they stay buffered; only beyond {@code broker.audit.buffer-size} are
 * events dropped, counted in {@code broker_audit_events_dropped_total}. Events buffered when a
 * replica dies are lost (at most one flush interval in normal operation).
 */
@ApplicationScoped
public class AuditLog {

  private static final Logger LOG = Logger.getLogger(AuditLog.class);
  private static final int MAX_BATCH = 10_000;
  private static final int PURGE_CHUNK = 10_000;

  private final Database db;
  private final AuditRows rows;
  private final AfterCommit afterCommit;
  private final Clock clock;
  private final AuditConfig config;
  private final LinkedBlockingDeque<AuditEvent> buffer;
  private final Counter dropped;
  private final IssuedTokenSummary issued = new IssuedTokenSummary();
  private volatile Instant summarySince;

  public AuditLog(
      Database db,
      AuditRows rows,
      AfterCommit afterCommit,
      Clock clock,
      AuditConfig config,
      MeterRegistry registry) {
    this.db = db;
    this.rows = rows;
    this.afterCommit = afterCommit;
    this.clock = clock;
    this.config = config;
    this.buffer = new LinkedBlockingDeque<>(config.bufferSize());
    this.dropped =
        Counter.builder("broker.audit.events.dropped")
            .description("Audit events dropped because the buffer was full")
            .register(registry);
    Gauge.builder("broker.audit.events.buffered", buffer, LinkedBlockingDeque::size)
        .description("Audit events waiting to be written")
        .register(registry);
  }

  /**
   * Buffers the event, stamped with the time, the request id and (unless set) the caller. Inside a
   * transaction, only once it commits: a rolled-back change leaves no event.
   */
  public void record(AuditEvent event) {
    event.occurredAt = clock.instant();
    Object requestId = MDC.get(RequestIds.MDC_KEY);
    event.requestId = requestId == null ? null : requestId.toString();
    if (event.actor == null) {
      Object caller = MDC.get(RequestIds.CALLER_MDC_KEY);
      event.actor =
          caller != null
              ? caller.toString()
              : requestId == null ? AuditActions.SYSTEM : AuditActions.ANONYMOUS;
    }
    afterCommit.run(() -> enqueue(event));
  }

  /**
   * A token served successfully: an event of its own, or counted into the next summary event
   * ({@code broker.audit.issued-tokens}).
   */
  public void recordIssued(String providerId, String grantId, String subject) {
    recordSuccess(
        AuditEvent.success(AuditActions.TOKEN_ISSUED)
            .provider(providerId)
            .grant(grantId)
            .subject(subject));
  }

  /**
   * A call the API proxy relayed (whatever the upstream answered), in the same mode as served
   * tokens: an event with {@code detail} of its own, or counted into the next summary event.
   */
  public void recordProxied(
      String actor, String providerId, String grantId, String subject, String detail) {
    recordSuccess(
        AuditEvent.success(AuditActions.PROXY_CALLED)
            .actor(actor)
            .provider(providerId)
            .grant(grantId)
            .subject(subject)
            .detail(detail));
  }

  private void recordSuccess(AuditEvent event) {
    if (config.issuedTokens() == AuditConfig.IssuedTokens.EACH) {
      record(event);
      return;
    }
    Object caller = event.actor != null ? event.actor : MDC.get(RequestIds.CALLER_MDC_KEY);
    issued.count(
        new IssuedTokenSummary.Key(
            event.action,
            caller == null ? AuditActions.ANONYMOUS : caller.toString(),
            event.providerId,
            event.grantId,
            event.subject));
  }

  private void enqueue(AuditEvent event) {
    if (!buffer.offerLast(event)) {
      dropped.increment();
      if (dropped.count() % 1000 == 1) {
        LOG.warnf(
            "Audit buffer full (%d events): dropping events; the database is slow or down",
            config.bufferSize());
      }
    }
  }

  @Scheduled(
      every = "${broker.audit.flush-interval:1s}",
      concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
  void flush() {
    if (config.issuedTokens() == AuditConfig.IssuedTokens.SUMMARY) {
      Instant now = clock.instant();
      Instant since = summarySince == null ? now : summarySince;
      summarySince = now;
      issued.drain(since, now).forEach(this::enqueue);
    }
    while (!buffer.isEmpty()) {
      List<AuditEvent> batch = new ArrayList<>(Math.min(buffer.size(), MAX_BATCH));
      buffer.drainTo(batch, MAX_BATCH);
      try {
        rows.write(batch);
      } catch (SQLException | RuntimeException | AssertionError e) {
        // AssertionError: the PostgreSQL driver asserts on a connection that broke mid-batch
        for (int i = batch.size() - 1; i >= 0; i--) {
          if (!buffer.offerFirst(batch.get(i))) {
            dropped.increment();
          }
        }
        LOG.warnf(
            "Could not write %d audit events (%s); keeping them buffered",
            batch.size(), e.getClass().getSimpleName());
        return;
      }
    }
  }

  /**
   * Deletes events older than the retention, in chunks of {@link #PURGE_CHUNK} rows, each its own
   * transaction: a backlog of millions never becomes one long delete.
   */
  @Scheduled(every = "1h", delayed = "1m", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
  void purge() {
    purge(PURGE_CHUNK);
  }

  void purge(int chunk) {
    Instant cutoff = clock.instant().minus(config.retention());
    long removed = 0;
    try {
      int deleted;
      do {
        deleted =
            db.update(
                "Purging audit events",
                "delete from audit_event where id in (select id from audit_event"
                    + " where occurred_at < ?1 order by occurred_at limit ?2)",
                cutoff,
                chunk);
        removed += deleted;
      } while (deleted == chunk);
    } catch (RuntimeException e) {
      LOG.warnf("Audit purge stopped after %d events: %s", removed, e.getClass().getSimpleName());
      return;
    }
    if (removed > 0) {
      LOG.infof("Purged %d audit events older than %s", removed, config.retention());
    }
  }

  void onStop(@Observes ShutdownEvent event) {
    flush();
  }
}
