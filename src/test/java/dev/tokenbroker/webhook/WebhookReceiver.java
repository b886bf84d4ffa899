package dev.tokenbroker.webhook;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/** A webhook endpoint for tests: records every request; can fail the next ones with 500. */
public final class WebhookReceiver implements AutoCloseable {

  /** One received request. */
  public record Received(String event, String delivery, String signature, String body) {}

  private final HttpServer server;
  private final List<Received> received = new CopyOnWriteArrayList<>();
  private final AtomicInteger failNext = new AtomicInteger();

  public WebhookReceiver() {
    try {
      server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 50);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    server.createContext(
        "/hooks",
        exchange -> {
          try (exchange) {
            String body =
                new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            received.add(
                new Received(
                    exchange.getRequestHeaders().getFirst("X-Token-Broker-Event"),
                    exchange.getRequestHeaders().getFirst("X-Token-Broker-Delivery"),
                    exchange.getRequestHeaders().getFirst("X-Token-Broker-Signature"),
                    body));
            int status = failNext.getAndUpdate(n -> Math.max(0, n - 1)) > 0 ? 500 : 204;
            exchange.sendResponseHeaders(status, -1);
          }
        });
    server.start();
  }

  public String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/hooks";
  }

  public List<Received> received() {
    return List.copyOf(received);
  }

  public void failNext(int count) {
    failNext.set(count);
  }

  public void clear() {
    received.clear();
    failNext.set(0);
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
