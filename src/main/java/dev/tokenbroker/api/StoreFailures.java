package dev.tokenbroker.api;

import dev.tokenbroker.db.ConcurrentWriteException;
import dev.tokenbroker.db.DatabaseException;
import java.sql.SQLException;
import java.util.Optional;

/**
 * Recognizes database failures in a cause chain and says what the caller is told: a write that lost
 * to a concurrent one is 409 {@code conflict}, a value the database cannot hold is 400, and
 * anything else (down, unreachable, pool exhausted, commit failed) is 503 {@code
 * store_unavailable}: never a 500.
 */
public final class StoreFailures {

  /** What a database failure means for the request. */
  public enum Meaning {
    CONFLICT,
    INVALID_VALUE,
    UNAVAILABLE
  }

  private StoreFailures() {}

  public static Optional<Meaning> classify(Throwable failure) {
    boolean persistence = false;
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof ConcurrentWriteException) {
        return Optional.of(Meaning.CONFLICT);
      }
      if (t instanceof SQLException sql) {
        String state = sql.getSQLState();
        if (state != null && state.startsWith("23")) {
          return Optional.of(Meaning.CONFLICT);
        }
        if (state != null && state.startsWith("22")) {
          return Optional.of(Meaning.INVALID_VALUE);
        }
        return Optional.of(Meaning.UNAVAILABLE);
      }
      persistence |=
          t instanceof DatabaseException
              || t instanceof jakarta.transaction.TransactionalException
              || t instanceof jakarta.transaction.RollbackException
              || t instanceof jakarta.transaction.SystemException
              || t.getClass().getName().startsWith("io.agroal.");
      if (t.getCause() == t) {
        break;
      }
    }
    return persistence ? Optional.of(Meaning.UNAVAILABLE) : Optional.empty();
  }
}
