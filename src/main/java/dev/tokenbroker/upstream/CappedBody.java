package dev.tokenbroker.upstream;

import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.WriteStream;
import io.vertx.ext.web.codec.BodyCodec;
import io.vertx.ext.web.codec.spi.BodyStream;

/**
 * A Vert.x Web Client body codec that collects an answer into one buffer, as {@link
 * BodyCodec#buffer()} does, but fails the call as soon as the answer grows past a limit. It then
 * reports itself full, so that the client stops reading: the rest of the answer stays unread until
 * the connection is closed.
 */
final class CappedBody implements BodyCodec<Buffer> {

  private final int maxBytes;
  private final String tooLarge;
  private final Runnable onCutOff;

  /** {@code onCutOff} runs when an answer is cut off, on the connection's event loop. */
  CappedBody(int maxBytes, String tooLarge, Runnable onCutOff) {
    this.maxBytes = maxBytes;
    this.tooLarge = tooLarge;
    this.onCutOff = onCutOff;
  }

  @Override
  public void create(Handler<AsyncResult<BodyStream<Buffer>>> callback) {
    callback.handle(Future.succeededFuture(new Collector()));
  }

  private final class Collector implements BodyStream<Buffer> {

    private final Buffer body = Buffer.buffer();
    private final Promise<Buffer> result = Promise.promise();
    private boolean cutOff;

    @Override
    public Future<Buffer> result() {
      return result.future();
    }

    @Override
    public void handle(Throwable failure) {
      result.tryFail(failure);
    }

    @Override
    public Future<Void> write(Buffer data) {
      if (body.length() + data.length() > maxBytes) {
        cutOff = true;
        result.tryFail(UpstreamException.unavailable(tooLarge, false));
        onCutOff.run();
      }
      if (result.future().failed()) {
        // a failed write ends the pipe from the answer, which fails the call
        return result.future().mapEmpty();
      }
      body.appendBuffer(data);
      return Future.succeededFuture();
    }

    @Override
    public void write(Buffer data, Handler<AsyncResult<Void>> handler) {
      Future<Void> written = write(data);
      if (handler != null) {
        written.onComplete(handler);
      }
    }

    @Override
    public void end(Handler<AsyncResult<Void>> handler) {
      result.tryComplete(body);
      if (handler != null) {
        handler.handle(result.future().mapEmpty());
      }
    }

    @Override
    public WriteStream<Buffer> exceptionHandler(Handler<Throwable> handler) {
      return this;
    }

    @Override
    public WriteStream<Buffer> setWriteQueueMaxSize(int maxSize) {
      return this;
    }

    @Override
    public boolean writeQueueFull() {
      // a pipe pauses its source while this is true, and no drain comes
      return cutOff;
    }

    @Override
    public WriteStream<Buffer> drainHandler(Handler<Void> handler) {
      return this;
    }
  }
}
