package dev.tokenbroker.proxy;

import dev.tokenbroker.outbound.EgressGate;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.ProxyOptions;
import io.vertx.core.net.ProxyType;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.core.buffer.Buffer;
import io.vertx.mutiny.core.http.HttpClient;
import io.vertx.mutiny.core.http.HttpClientRequest;
import io.vertx.mutiny.core.http.HttpClientResponse;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Sends one proxied call with the Vert.x HTTP client: redirects not followed, https through the
 * egress gate (so the outbound policy holds at connection time), the answer read within the proxy's
 * size and time limits.
 */
@ApplicationScoped
public class UpstreamApi {

  /**
   * What the upstream answered: status and headers as sent, and the body still to come, read within
   * the size and time limits as it is passed on. {@code discard} drops an answer whose body will
   * not be read (the connection goes with it).
   */
  record Answer(int status, MultiMap headers, Multi<Buffer> body, Runnable discard) {}

  /** The upstream could not be reached or did not answer within the limits. */
  static final class Unanswered extends RuntimeException {
    Unanswered(String message) {
      super(message, null, false, false);
    }
  }

  private final Vertx vertx;
  private final HttpClient client;
  private final EgressGate gate;
  private final ProxyConfig config;

  public UpstreamApi(Vertx vertx, EgressGate gate, ProxyConfig config) {
    this.vertx = vertx;
    this.gate = gate;
    this.config = config;
    this.client =
        vertx.createHttpClient(
            new HttpClientOptions()
                .setMaxPoolSize(config.maxConnectionsPerHost())
                .setKeepAlive(true)
                .setVerifyHost(true)
                .setConnectTimeout((int) config.firstByteTimeout().toMillis()));
  }

  /**
   * The answer once its status and headers are in, or an {@link Unanswered} failure; never blocks
   * the calling thread. A declared length over the limit fails here; a body that grows past it, or
   * is not complete within the answer timeout, fails its stream (the connection is cut, as it is
   * when the caller stops reading). The time limits are timers on the connection's event loop: the
   * Vert.x client's own for waiting for a connection and then for the answer to start (each within
   * the first-byte timeout; it cancels them once the answer starts), and one for the whole answer,
   * cancelled when its body ends.
   */
  Uni<Answer> send(String method, String url, MultiMap headers, byte[] body) {
    long firstByteMillis = config.firstByteTimeout().toMillis();
    RequestOptions options =
        new RequestOptions()
            .setMethod(HttpMethod.valueOf(method))
            .setAbsoluteURI(url)
            .setFollowRedirects(false)
            .setConnectTimeout(firstByteMillis)
            .setIdleTimeout(firstByteMillis)
            .setHeaders(headers);
    if (url.startsWith("https:")) {
      options.setProxyOptions(
          new ProxyOptions().setType(ProxyType.HTTP).setHost("127.0.0.1").setPort(gate.port()));
    }
    AtomicReference<HttpClientRequest> sent = new AtomicReference<>();
    Runnable reset =
        () -> {
          HttpClientRequest request = sent.get();
          if (request != null) {
            request.reset();
          }
        };
    long deadline = System.nanoTime() + config.answerTimeout().toNanos();
    return client
        .request(options)
        .chain(
            request -> {
              sent.set(request);
              return body.length == 0 ? request.send() : request.send(Buffer.buffer(body));
            })
        .onItemOrFailure()
        .transformToUni(
            (response, failure) -> {
              try {
                if (failure == null) {
                  return Uni.createFrom().item(answer(response, reset, deadline));
                }
              } catch (Unanswered refused) {
                failure = refused;
              }
              reset.run();
              return Uni.createFrom().failure(unanswered(failure));
            });
  }

  private static Unanswered unanswered(Throwable failure) {
    if (failure instanceof Unanswered known) {
      return known;
    }
    return new Unanswered(
        failure instanceof TimeoutException
            ? "no answer within broker.proxy.first-byte-timeout"
            : "the connection failed or was refused");
  }

  private Answer answer(HttpClientResponse response, Runnable reset, long deadlineNanos) {
    response.pause();
    int limit = config.maxAnswerBytes();
    String declared = response.getHeader("Content-Length");
    if (declared != null && declaredLength(declared) > limit) {
      throw new Unanswered("answer larger than broker.proxy.max-answer-bytes");
    }
    long remainingMillis = (deadlineNanos - System.nanoTime()) / 1_000_000;
    if (remainingMillis < 1) {
      throw new Unanswered("answer not complete within broker.proxy.answer-timeout");
    }
    AtomicBoolean late = new AtomicBoolean();
    long timer =
        vertx.setTimer(
            remainingMillis,
            ignored -> {
              late.set(true);
              reset.run();
            });
    AtomicLong seen = new AtomicLong();
    Multi<Buffer> body =
        response
            .toMulti()
            .invoke(
                chunk -> {
                  if (seen.addAndGet(chunk.length()) > limit) {
                    throw new Unanswered("answer grew past broker.proxy.max-answer-bytes");
                  }
                })
            .onTermination()
            .invoke(
                (failure, cancelled) -> {
                  vertx.cancelTimer(timer);
                  if (failure != null || cancelled) {
                    reset.run();
                  }
                })
            .onFailure()
            .transform(
                f ->
                    late.get()
                        ? new Unanswered("answer not complete within broker.proxy.answer-timeout")
                        : f);
    Runnable drain = () -> body.subscribe().with(ignored -> {}, ignored -> {});
    return new Answer(response.statusCode(), response.headers().getDelegate(), body, drain);
  }

  private static long declaredLength(String value) {
    try {
      return Long.parseLong(value.trim());
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  @PreDestroy
  void close() {
    client.closeAndForget();
  }
}
