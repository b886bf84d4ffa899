package dev.tokenbroker.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Ports for servers that a test starts later, below the kernel's ephemeral range (32768 and up on
 * Linux), each handed out once across every test JVM on the machine. A port the kernel picked (a
 * closed {@code ServerSocket(0)}) can come back on the next request, to this JVM, to another test
 * fork, or to an outgoing connection, before the server meant to have it binds it: a broker given
 * one port for its API and its management interface shares one socket between the two routers, so
 * that half its API requests meet the management interface's 404. A port here is this JVM's while
 * it holds an OS lock on the port's file in the temporary directory; the lock ends with the JVM,
 * however it ends.
 */
public final class FreePorts {

  private static final int FIRST = 20_000;
  private static final int COUNT = 12_000;
  private static final Path LOCKS = Path.of(System.getProperty("java.io.tmpdir"), "test-ports");

  /** Ports this JVM has looked at: handed out, locked by another JVM, or bound by some process. */
  private static final Set<Integer> handedOut = new HashSet<>();

  private static final List<FileLock> locks = new ArrayList<>();

  private FreePorts() {}

  /** {@code count} distinct ports, free now and handed out to no other test JVM or caller. */
  public static synchronized int[] reserve(int count) {
    int[] ports = new int[count];
    int next = ThreadLocalRandom.current().nextInt(COUNT);
    for (int found = 0, tried = 0; found < count; tried++, next = (next + 1) % COUNT) {
      if (tried == COUNT) {
        throw new IllegalStateException("No free port in " + FIRST + "+" + COUNT);
      }
      int port = FIRST + next;
      if (handedOut.add(port) && claimed(port) && free(port)) {
        ports[found++] = port;
      }
    }
    return ports;
  }

  /** One port, as {@link #reserve(int)}. */
  public static int reserve() {
    return reserve(1)[0];
  }

  /** Takes the port's lock file, or false when another JVM holds it. */
  private static boolean claimed(int port) {
    try {
      Files.createDirectories(LOCKS);
      FileChannel channel =
          FileChannel.open(
              LOCKS.resolve(port + ".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
      FileLock lock = channel.tryLock();
      if (lock == null) {
        channel.close();
        return false;
      }
      locks.add(lock);
      return true;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
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
