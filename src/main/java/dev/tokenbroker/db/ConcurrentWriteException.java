package dev.tokenbroker.db;

/** A conditional write found the row changed since it was read: a concurrent write won. */
public class ConcurrentWriteException extends RuntimeException {

  public ConcurrentWriteException(String message) {
    super(message);
  }
}
