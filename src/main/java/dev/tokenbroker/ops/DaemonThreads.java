package dev.tokenbroker.ops;

import java.util.concurrent.ThreadFactory;
import java.util.function.Supplier;

/** Thread factories for the broker's own background executors: named, and never holding the JVM. */
public final class DaemonThreads {

  private DaemonThreads() {}

  public static ThreadFactory named(String name) {
    return named(() -> name);
  }

  /** Each new thread takes the next name, e.g. a counter's. */
  public static ThreadFactory named(Supplier<String> name) {
    return r -> {
      Thread t = new Thread(r, name.get());
      t.setDaemon(true);
      return t;
    };
  }
}
