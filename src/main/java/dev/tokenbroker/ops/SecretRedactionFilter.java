package dev.tokenbroker.ops;

import io.quarkus.logging.LoggingFilter;
import java.util.logging.Filter;
import java.util.logging.LogRecord;
import org.jboss.logmanager.ExtLogRecord;

/**
 * The console log filter ({@code quarkus.log.console.filter=secret-redaction}): rewrites a record
 * whose message or exception messages contain something credential-like, never drops one.
 */
@LoggingFilter(name = "secret-redaction")
public final class SecretRedactionFilter implements Filter {

  @Override
  public boolean isLoggable(LogRecord record) {
    if (record instanceof ExtLogRecord ext) {
      String formatted = ext.getFormattedMessage();
      String redacted = SecretRedaction.redact(formatted);
      if (redacted != formatted) {
        ext.setMessage(redacted, ExtLogRecord.FormatStyle.NO_FORMAT);
        ext.setParameters(null);
      }
    } else if (record.getMessage() != null) {
      record.setMessage(SecretRedaction.redact(record.getMessage()));
    }
    if (record.getThrown() != null) {
      record.setThrown(redacted(record.getThrown()));
    }
    return true;
  }

  /** The throwable itself when no message in its chain needs masking, else a masked copy. */
  static Throwable redacted(Throwable thrown) {
    if (!needsMasking(thrown)) {
      return thrown;
    }
    Throwable cause = thrown.getCause() == null ? null : redacted(thrown.getCause());
    RedactedException copy =
        new RedactedException(
            thrown.getClass().getName() + ": " + SecretRedaction.redact(thrown.getMessage()),
            cause);
    copy.setStackTrace(thrown.getStackTrace());
    return copy;
  }

  private static boolean needsMasking(Throwable thrown) {
    for (Throwable t = thrown; t != null; t = t.getCause()) {
      String message = t.getMessage();
      if (message != null && SecretRedaction.redact(message) != message) {
        return true;
      }
    }
    return false;
  }

  /** Stands in for an exception whose message had to be masked; prints its original type. */
  static final class RedactedException extends RuntimeException {
    RedactedException(String message, Throwable cause) {
      super(message, cause);
    }

    @Override
    public String toString() {
      return getMessage();
    }
  }
}
