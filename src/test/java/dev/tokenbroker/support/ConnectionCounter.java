package dev.tokenbroker.support;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP listener on every address of this machine that speaks no protocol: it accepts each
 * connection, counts it and closes it. What counts is whether anything reached it.
 */
public final class ConnectionCounter implements AutoCloseable {

  private final ServerSocket socket;
  private final AtomicInteger connections = new AtomicInteger();

  public ConnectionCounter() {
    try {
      socket = new ServerSocket();
      socket.bind(new InetSocketAddress(InetAddress.getByName("0.0.0.0"), 0));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    Thread accepting =
        new Thread(
            () -> {
              while (!socket.isClosed()) {
                try (Socket connection = socket.accept()) {
                  connections.incrementAndGet();
                } catch (IOException closed) {
                  return;
                }
              }
            },
            "connection-counter");
    accepting.setDaemon(true);
    accepting.start();
  }

  public int port() {
    return socket.getLocalPort();
  }

  public int connections() {
    return connections.get();
  }

  public void reset() {
    connections.set(0);
  }

  @Override
  public void close() {
    try {
      socket.close();
    } catch (IOException ignored) {
      // nothing is listening any more either way
    }
  }
}
