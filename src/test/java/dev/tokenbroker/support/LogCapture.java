package dev.tokenbroker.support;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;

/** Collects every log record of the running application, formatted, for leak checks. */
public final class LogCapture extends Handler implements AutoCloseable {

  private final List<String> lines = Collections.synchronizedList(new ArrayList<>());

  public static LogCapture start() {
    LogCapture capture = new LogCapture();
    Logger.getLogger("").addHandler(capture);
    return capture;
  }

  /**
   * A capture that sees each record before the root logger's other handlers do, so before the
   * console's redaction filter rewrites its message.
   */
  public static LogCapture startBeforeOtherHandlers() {
    LogCapture capture = new LogCapture();
    Logger root = Logger.getLogger("");
    Handler[] others = root.getHandlers();
    for (Handler other : others) {
      root.removeHandler(other);
    }
    root.addHandler(capture);
    for (Handler other : others) {
      root.addHandler(other);
    }
    return capture;
  }

  @Override
  public void publish(LogRecord record) {
    StringBuilder line = new StringBuilder(String.valueOf(record.getMessage()));
    if (record.getParameters() != null) {
      line.append(' ').append(Arrays.toString(record.getParameters()));
    }
    try {
      line.append(' ').append(new SimpleFormatter().formatMessage(record));
    } catch (RuntimeException ignored) {
      // the raw message and parameters are kept
    }
    for (Throwable t = record.getThrown(); t != null; t = t.getCause()) {
      line.append(' ').append(t);
    }
    lines.add(line.toString());
  }

  public List<String> lines() {
    synchronized (lines) {
      return List.copyOf(lines);
    }
  }

  @Override
  public void flush() {}

  @Override
  public void close() {
    Logger.getLogger("").removeHandler(this);
  }
}
