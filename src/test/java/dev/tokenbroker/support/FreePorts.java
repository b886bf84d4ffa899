package dev.tokenbroker.support;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.HashSet;
import java.util.Set;

/**
 * Ports for servers that a test starts later, each handed out once per test JVM, from a block of
 * its own below the kernel's ephemeral range (32768 and up on Linux). A port the kernel picked (a
 * closed {@code ServerSocket(0)}) can come back on the next request, to this JVM, to another test
 * fork, or to an outgoing connection, before the server that was meant to have it binds it: a
 * broker given one port for its API and its management interface shares one socket between the two
 * routers, so that half its API requests meet the management interface's 404. Each test fork gets
 * its own block ({@code test.fork} = Surefire's fork number), so parallel forks never collide.
 */
public final class FreePorts {

  private static final int FIRST = 20_000;
  private static final int BLOCK = 2_000;

  private static final Set<Integer> handedOut = new HashSet<>();
  private static int next = -1;

  private FreePorts() {}

  /** {@code count} distinct ports, free now and never handed out before in this JVM. */
  public static synchronized int[] reserve(int count) {
    int[] ports = new int[count];
    int blockStart = FIRST + BLOCK * (fork() % 6);
    if (next < 0) {
      next = (int) (ProcessHandle.current().pid() % BLOCK);
    }
    for (int found = 0, tried = 0; found < count; tried++) {
      if (tried == BLOCK) {
        throw new IllegalStateException("No free port in " + blockStart + "+" + BLOCK);
      }
      int port = blockStart + next;
      next = (next + 1) % BLOCK;
      if (!handedOut.contains(port) && free(port)) {
        handedOut.add(port);
        ports[found++] = port;
      }
    }
    return ports;
  }

  /** One port, as {@link #reserve(int)}. */
  public static int reserve() {
    return reserve(1)[0];
  }

  private static int fork() {
    try {
      return Math.max(0, Integer.parseInt(System.getProperty("test.fork", "1")) - 1);
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  private static boolean free(int port) {
    try (ServerSocket socket = new ServerSocket()) {
      socket.setReuseAddress(false);
      socket.bind(new InetSocketAddress(port));
      return true;
    } catch (IOException taken) {
      return false;
    }
  }
}
