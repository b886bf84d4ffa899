package dev.tokenbroker.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Ports for servers that a test starts later, each handed out once per test JVM. Asking the kernel
 * for one port at a time is not enough: a closed socket's port can come back on the next request
 * (about one in seven thousand with {@code SO_REUSEADDR} here), and a broker given the same port
 * for its API and its management interface shares one socket between the two routers, so that half
 * its API requests meet the management interface's 404.
 */
public final class FreePorts {

  private static final Set<Integer> handedOut = new HashSet<>();

  private FreePorts() {}

  /** {@code count} distinct ports, free now and never handed out before in this JVM. */
  public static synchronized int[] reserve(int count) {
    List<ServerSocket> held = new ArrayList<>();
    try {
      int[] ports = new int[count];
      int found = 0;
      while (found < count) {
        ServerSocket socket = new ServerSocket(0);
        held.add(socket);
        if (handedOut.add(socket.getLocalPort())) {
          ports[found++] = socket.getLocalPort();
        }
      }
      return ports;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      for (ServerSocket socket : held) {
        try {
          socket.close();
        } catch (IOException ignored) {
          // the port is still reserved in this JVM's list
        }
      }
    }
  }

  /** One port, as {@link #reserve(int)}. */
  public static int reserve() {
    return reserve(1)[0];
  }
}
