package dev.tokenbroker.webhook;

import com.sun.net.httpserver.HttpServer;
import dev.tokenbroker.support.DrippingAnswer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A webhook endpoint for tests: records every request; can fail the next ones with 500, or answer
 * them with a body that drips.
 */
public final class WebhookReceiver implements AutoCloseable {

  /** One received request. */
  public record Received(String event, String delivery, String signature, String body) {}

  private final HttpServer server;
  private final List<Received> received = new CopyOnWriteArrayList<>();
  private final AtomicInteger failNext = new AtomicInteger();
  private final AtomicInteger dripNext = new AtomicInteger();
  private final List<Boolean> drips = new CopyOnWriteArrayList<>();

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
            if (dripNext.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
              drips.add(DrippingAnswer.send(exchange, ""));
              return;
            }
            int status = failNext.getAndUpdate(n -> Math.max(0, n - 1)) > 0 ? 500 : 204;
            exchange.sendResponseHeaders(status, -1);
          }
        });
    server.setExecutor(Executors.newCachedThreadPool());
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

  /** The next {@code count} requests are answered 200 with a body that takes 20 s to arrive. */
  public void dripNext(int count) {
    dripNext.set(count);
  }

  /** For each dripping answer that is over: whether the sender hung up before its end. */
  public List<Boolean> drips() {
    return List.copyOf(drips);
  }

  public void clear() {
    received.clear();
    failNext.set(0);
    dripNext.set(0);
    drips.clear();
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
