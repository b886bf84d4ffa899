package dev.tokenbroker.simulator;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A platform API behind the simulator's tokens, under {@code /api}: it answers 401 to a token it
 * did not issue or that expired or was revoked, and otherwise records what it received (the bearer
 * token only as valid, never its value) and echoes it. It sets a cookie, a forged {@code
 * Token-Broker-Error} and a trace header on every answer, and can answer 429, a large body, late or
 * in pieces.
 */
public final class ResourceServer {

  /** One call as the API received it; header names lower-cased, without Authorization. */
  public record Received(
      String method,
      String rawPath,
      String rawQuery,
      Map<String, List<String>> headers,
      String body,
      String account) {}

  private final ProviderSimulator sim;
  private final List<Received> received = Collections.synchronizedList(new ArrayList<>());
  private final AtomicInteger calls = new AtomicInteger();
  private final AtomicInteger rejected = new AtomicInteger();
  private final AtomicInteger answersCut = new AtomicInteger();
  private final AtomicLong tooManyRequestsFor = new AtomicLong(-1);
  private volatile int answerBytes;
  private volatile int chunks;
  private volatile long chunkPauseMillis;
  private volatile long firstByteDelayMillis;
  private volatile long lastChunkWrittenNanos;

  ResourceServer(ProviderSimulator sim, HttpServer server) {
    this.sim = sim;
    server.createContext("/api", this::handle);
  }

  void reset() {
    received.clear();
    calls.set(0);
    rejected.set(0);
    answersCut.set(0);
    tooManyRequestsFor.set(-1);
    answerBytes = 0;
    chunks = 0;
    chunkPauseMillis = 0;
    firstByteDelayMillis = 0;
    lastChunkWrittenNanos = 0;
  }

  public String baseUrl() {
    return sim.baseUrl() + "/api";
  }

  /** Every call that reached the API, rejected ones included. */
  public int calls() {
    return calls.get();
  }

  /** Calls answered 401 because of their token. */
  public int rejectedTokens() {
    return rejected.get();
  }

  /** Calls that got past the token check, oldest first. */
  public List<Received> received() {
    synchronized (received) {
      return List.copyOf(received);
    }
  }

  /** The next answer is 429 with {@code Retry-After: seconds}. */
  public void answerTooManyRequests(long seconds) {
    tooManyRequestsFor.set(seconds);
  }

  /** Answers carry a body of this many bytes. */
  public void answerBytes(int bytes) {
    answerBytes = bytes;
  }

  /**
   * Answers are sent chunked (no Content-Length): {@code count} chunks of the answer size each (see
   * {@link #answerBytes}), {@code pauseMillis} apart.
   */
  public void answerInChunks(int count, long pauseMillis) {
    chunks = count;
    chunkPauseMillis = pauseMillis;
  }

  /** Answers start (status and headers) only this long after the request arrived. */
  public void answerAfter(long millis) {
    firstByteDelayMillis = millis;
  }

  /** Chunked answers whose connection was closed before their last chunk was written. */
  public int answersCut() {
    return answersCut.get();
  }

  /** {@link System#nanoTime} when the last chunk of a chunked answer was written. */
  public long lastChunkWrittenNanos() {
    return lastChunkWrittenNanos;
  }

  private static void pause(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void handle(HttpExchange exchange) throws IOException {
    calls.incrementAndGet();
    byte[] body = exchange.getRequestBody().readAllBytes();
    String authorization = exchange.getRequestHeaders().getFirst("Authorization");
    String token =
        authorization != null && authorization.startsWith("Bearer ")
            ? authorization.substring(7)
            : "";
    if (!sim.bearerValid(token)) {
      rejected.incrementAndGet();
      exchange.getResponseHeaders().add("WWW-Authenticate", "Bearer error=\"invalid_token\"");
      ProviderSimulator.respond(exchange, 401, "{\"error\":\"invalid_token\"}");
      return;
    }
    Map<String, List<String>> headers = new TreeMap<>();
    exchange
        .getRequestHeaders()
        .forEach(
            (name, values) -> {
              String key = name.toLowerCase(Locale.ROOT);
              if (!"authorization".equals(key)) {
                headers.put(key, List.copyOf(values));
              }
            });
    String rawPath = exchange.getRequestURI().getRawPath().substring("/api".length());
    received.add(
        new Received(
            exchange.getRequestMethod(),
            rawPath,
            exchange.getRequestURI().getRawQuery(),
            headers,
            new String(body, StandardCharsets.UTF_8),
            sim.accountOf(token)));
    exchange.getResponseHeaders().add("Set-Cookie", "upstream_session=s3cr3t; Path=/; HttpOnly");
    exchange.getResponseHeaders().add("Token-Broker-Error", "true");
    exchange.getResponseHeaders().add("X-Upstream-Trace", "trace-" + calls.get());
    long wait = tooManyRequestsFor.getAndSet(-1);
    if (wait >= 0) {
      exchange.getResponseHeaders().add("Retry-After", Long.toString(wait));
      ProviderSimulator.respond(exchange, 429, "{\"error\":\"slow_down\"}");
      return;
    }
    byte[] answer =
        answerBytes > 0
            ? "x".repeat(answerBytes).getBytes(StandardCharsets.US_ASCII)
            : ("{\"path\":\"" + rawPath + "\",\"method\":\"" + exchange.getRequestMethod() + "\"}")
                .getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().add("Content-Type", "application/json");
    pause(firstByteDelayMillis);
    if (chunks > 0) {
      exchange.sendResponseHeaders(201, 0);
      try (OutputStream out = exchange.getResponseBody()) {
        for (int i = 0; i < chunks; i++) {
          pause(i == 0 ? 0 : chunkPauseMillis);
          out.write(answer);
          out.flush();
        }
        lastChunkWrittenNanos = System.nanoTime();
      } catch (IOException cut) {
        answersCut.incrementAndGet();
      }
      exchange.close();
      return;
    }
    boolean head = "HEAD".equals(exchange.getRequestMethod());
    exchange.sendResponseHeaders(201, head ? -1 : answer.length);
    if (!head) {
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(answer);
      }
    }
    exchange.close();
  }
}
