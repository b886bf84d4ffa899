package dev.tokenbroker.refresh.lease;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;

/**
 * One PostgreSQL session of its own, outside the pool, that holds advisory locks: a pooled session
 * would outlive a close() and keep its locks; this one's locks end with it. Its calls take turns.
 */
final class LockSession {

  private final String url;
  private final Optional<String> username;
  private final Optional<String> password;
  private Connection connection;

  LockSession(String url, Optional<String> username, Optional<String> password) {
    this.url = url;
    this.username = username;
    this.password = password;
  }

  /**
   * Runs a boolean advisory-lock function on {@code key}. A failure closes the session, and with it
   * every lock it held, before it is thrown.
   */
  synchronized boolean call(String sql, long key) throws SQLException {
    try {
      if (connection == null || connection.isClosed()) {
        connection = DriverManager.getConnection(url, username.orElse(null), password.orElse(null));
        connection.setAutoCommit(true);
      }
      try (PreparedStatement statement = connection.prepareStatement(sql)) {
        statement.setLong(1, key);
        try (ResultSet result = statement.executeQuery()) {
          return result.next() && result.getBoolean(1);
        }
      }
    } catch (SQLException e) {
      close();
      throw e;
    }
  }

  synchronized void close() {
    if (connection != null) {
      try {
        connection.close();
      } catch (SQLException ignored) {
        // already broken, or shutting down
      }
      connection = null;
    }
  }
}
