package dev.tokenbroker.refresh;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * One run per key at a time within this replica: callers that arrive while a run is in progress
 * wait for it and get its result or its exception.
 */
final class SingleFlight<T> {

  private final Map<String, CompletableFuture<T>> running = new ConcurrentHashMap<>();

  /**
   * The result of {@code work} for {@code key}, run here or shared with a run in progress. A shared
   * run that produced nothing (null) does not answer this caller, which then runs {@code work}
   * itself. {@code onTimeout} is thrown after waiting {@code maxWait} for a run.
   */
  T run(String key, Supplier<T> work, Duration maxWait, Supplier<RuntimeException> onTimeout) {
    while (true) {
      CompletableFuture<T> mine = new CompletableFuture<>();
      CompletableFuture<T> other = running.putIfAbsent(key, mine);
      if (other == null) {
        return complete(key, mine, work);
      }
      T shared = await(other, maxWait, onTimeout);
      if (shared != null) {
        return shared;
      }
    }
  }

  /** Runs {@code work} unless a run for {@code key} is in progress (then empty, nothing run). */
  Optional<T> runIfIdle(String key, Supplier<T> work) {
    CompletableFuture<T> mine = new CompletableFuture<>();
    if (running.putIfAbsent(key, mine) != null) {
      return Optional.empty();
    }
    return Optional.ofNullable(complete(key, mine, work));
  }

  /** Callers waiting now for the run in progress for {@code key}. */
  int waiting(String key) {
    CompletableFuture<T> run = running.get(key);
    return run == null ? 0 : run.getNumberOfDependents();
  }

  /** Leaves the map before completing, so that nobody joins a finished run. */
  private T complete(String key, CompletableFuture<T> mine, Supplier<T> work) {
    try {
      T result = work.get();
      running.remove(key, mine);
      mine.complete(result);
      return result;
    } catch (RuntimeException | Error e) {
      running.remove(key, mine);
      mine.completeExceptionally(e);
      throw e;
    }
  }

  private static <T> T await(
      CompletableFuture<T> run, Duration maxWait, Supplier<RuntimeException> onTimeout) {
    try {
      return run.get(maxWait.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException runtime) {
        throw runtime;
      }
      throw new IllegalStateException(e.getCause());
    } catch (TimeoutException e) {
      throw onTimeout.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw onTimeout.get();
    }
  }
}
