package dev.tokenbroker.api;

import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.util.function.Supplier;

/**
 * Moves blocking work of a request that runs on the event loop to a worker thread, inside the
 * request's Vert.x context: its logging context (request and caller ids) goes along, and the answer
 * comes back on the event loop. Outside a Vert.x context the work runs where it is.
 */
public final class WorkerThreads {

  private WorkerThreads() {}

  public static <T> Uni<T> call(Supplier<T> work) {
    Context context = Vertx.currentContext();
    if (context == null) {
      return Uni.createFrom().item(work);
    }
    return Uni.createFrom()
        .completionStage(() -> context.executeBlocking(work::get, false).toCompletionStage());
  }
}
