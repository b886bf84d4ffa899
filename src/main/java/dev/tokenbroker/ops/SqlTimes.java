package dev.tokenbroker.ops;

import java.sql.Timestamp;
import java.time.Instant;
import java.time.OffsetDateTime;

/**
 * Reads a timestamp column from a native query, whatever type the JDBC driver returns; a SQL null
 * is null.
 */
public final class SqlTimes {

  private SqlTimes() {}

  public static Instant toInstant(Object value) {
    if (value == null) {
      return null;
    }
    if (value instanceof Timestamp ts) {
      return ts.toInstant();
    }
    if (value instanceof OffsetDateTime odt) {
      return odt.toInstant();
    }
    if (value instanceof Instant instant) {
      return instant;
    }
    throw new IllegalStateException("Unexpected timestamp type " + value.getClass());
  }
}
