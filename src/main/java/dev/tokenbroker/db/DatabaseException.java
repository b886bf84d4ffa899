package dev.tokenbroker.db;

import java.sql.SQLException;

/** A statement failed; the driver's exception is the cause. */
public class DatabaseException extends RuntimeException {

  public DatabaseException(String message, SQLException cause) {
    super(message, cause);
  }
}
