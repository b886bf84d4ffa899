package dev.tokenbroker.refresh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SingleFlightTest {

  private final SingleFlight<String> flights = new SingleFlight<>();
  private final ExecutorService pool = Executors.newFixedThreadPool(32);

  @AfterEach
  void stop() {
    pool.shutdownNow();
  }

  @Test
  void concurrentCallersOfOneKeyShareOneRun() throws Exception {
    AtomicInteger runs = new AtomicInteger();
    CountDownLatch release = new CountDownLatch(1);
    List<Future<String>> callers = new ArrayList<>();
    for (int i = 0; i < 32; i++) {
      callers.add(
          pool.submit(
              () ->
                  flights.run(
                      "g",
                      () -> {
                        runs.incrementAndGet();
                        await(release);
                        return "token";
                      },
                      Duration.ofSeconds(10),
                      IllegalStateException::new)));
    }
    awaitWaiting(31);
    release.countDown();
    for (Future<String> caller : callers) {
      assertEquals("token", caller.get(10, TimeUnit.SECONDS));
    }
    assertEquals(1, runs.get());
  }

  @Test
  void joinersGetTheRunsExceptionAndTheNextCallRunsAgain() throws Exception {
    CountDownLatch started = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    IllegalArgumentException failure = new IllegalArgumentException("provider down");
    Future<?> leader =
        pool.submit(
            () ->
                flights.run(
                    "g",
                    () -> {
                      started.countDown();
                      await(release);
                      throw failure;
                    },
                    Duration.ofSeconds(10),
                    IllegalStateException::new));
    started.await();
    Future<String> joiner =
        pool.submit(
            () ->
                flights.run("g", () -> "mine", Duration.ofSeconds(10), IllegalStateException::new));
    awaitWaiting(1);
    release.countDown();
    Exception joined = assertThrows(Exception.class, () -> joiner.get(10, TimeUnit.SECONDS));
    assertSame(failure, joined.getCause());
    assertThrows(Exception.class, () -> leader.get(10, TimeUnit.SECONDS));
    assertEquals(
        "again",
        flights.run("g", () -> "again", Duration.ofSeconds(1), IllegalStateException::new));
  }

  @Test
  void aRunThatProducedNothingLetsTheWaiterRunItself() throws Exception {
    CountDownLatch started = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    Future<Optional<String>> idle =
        pool.submit(
            () ->
                flights.runIfIdle(
                    "g",
                    () -> {
                      started.countDown();
                      await(release);
                      return null;
                    }));
    started.await();
    assertTrue(flights.runIfIdle("g", () -> "second").isEmpty(), "skipped while one runs");
    Future<String> waiter =
        pool.submit(
            () ->
                flights.run("g", () -> "own", Duration.ofSeconds(10), IllegalStateException::new));
    awaitWaiting(1);
    release.countDown();
    assertTrue(idle.get(10, TimeUnit.SECONDS).isEmpty());
    assertEquals("own", waiter.get(10, TimeUnit.SECONDS));
  }

  @Test
  void aWaiterGivesUpAfterItsMaximumWait() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    CountDownLatch started = new CountDownLatch(1);
    pool.submit(
        () ->
            flights.run(
                "g",
                () -> {
                  started.countDown();
                  await(release);
                  return "late";
                },
                Duration.ofSeconds(10),
                IllegalStateException::new));
    started.await();
    assertThrows(
        UnsupportedOperationException.class,
        () ->
            flights.run("g", () -> "x", Duration.ofMillis(50), UnsupportedOperationException::new));
    release.countDown();
  }

  private static void await(CountDownLatch latch) {
    try {
      latch.await(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Until {@code count} callers wait for the run of "g": then none can start a run of its own. */
  private void awaitWaiting(int count) {
    Awaitility.await("callers waiting for the run of g")
        .atMost(Duration.ofSeconds(10))
        .pollInterval(Duration.ofMillis(1))
        .until(() -> flights.waiting("g") >= count);
  }
}
