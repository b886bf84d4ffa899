package dev.tokenbroker.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class IssuedTokenSummaryTest {

  private static final Instant T0 = Instant.parse("2026-12-02T10:00:00Z");

  @Test
  void oneEventPerKeyWithTheCount() {
    IssuedTokenSummary summary = new IssuedTokenSummary();
    IssuedTokenSummary.Key a =
        new IssuedTokenSummary.Key("token.issued", "caller-1", "p", "grt_1", "s1");
    IssuedTokenSummary.Key b =
        new IssuedTokenSummary.Key("proxy.called", "caller-2", "p", "grt_2", "s2");
    for (int i = 0; i < 5; i++) {
      summary.count(a);
    }
    summary.count(b);
    List<AuditEvent> events = summary.drain(T0, T0.plusSeconds(1));
    assertEquals(2, events.size());
    AuditEvent first = events.stream().filter(e -> "caller-1".equals(e.actor)).findFirst().get();
    assertEquals("token.issued", first.action);
    assertEquals("success", first.outcome);
    assertEquals("grt_1", first.grantId);
    assertEquals(T0.plusSeconds(1), first.occurredAt);
    assertEquals("5 token(s) served since " + T0, first.detail);
    AuditEvent second = events.stream().filter(e -> "caller-2".equals(e.actor)).findFirst().get();
    assertEquals("proxy.called", second.action);
    assertEquals("1 call(s) relayed since " + T0, second.detail);
    assertTrue(summary.drain(T0, T0).isEmpty(), "a drained key starts again from zero");
  }

  @Test
  void countsRacingDrainsAreNeitherLostNorCountedTwice() throws Exception {
    IssuedTokenSummary summary = new IssuedTokenSummary();
    IssuedTokenSummary.Key key = new IssuedTokenSummary.Key("token.issued", "c", "p", "g", "s");
    int threads = 8;
    int perThread = 50_000;
    AtomicLong drained = new AtomicLong();
    AtomicBoolean counting = new AtomicBoolean(true);
    CountDownLatch start = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    for (int t = 0; t < threads; t++) {
      pool.execute(
          () -> {
            awaitQuietly(start);
            for (int i = 0; i < perThread; i++) {
              summary.count(key);
            }
          });
    }
    Thread drainer =
        new Thread(
            () -> {
              while (counting.get()) {
                drained.addAndGet(total(summary.drain(T0, T0)));
              }
            });
    drainer.start();
    start.countDown();
    pool.shutdown();
    assertTrue(pool.awaitTermination(60, TimeUnit.SECONDS));
    counting.set(false);
    drainer.join();
    drained.addAndGet(total(summary.drain(T0, T0)));
    assertEquals((long) threads * perThread, drained.get());
  }

  private static long total(List<AuditEvent> events) {
    return events.stream().mapToLong(e -> Long.parseLong(e.detail.split(" ")[0])).sum();
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      latch.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
