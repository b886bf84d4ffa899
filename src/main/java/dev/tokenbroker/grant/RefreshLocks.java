package dev.tokenbroker.grant;

import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Who is refreshing a grant right now, cluster-wide (ADR 7). On PostgreSQL each refresh holds a
 * session-level advisory lock on one dedicated connection of this replica, opened with the
 * datasource's URL and credentials outside the pool: the server releases the lock the moment the
 * process or its connection dies, so a killed replica's grants are free at once, and a live holder
 * keeps its grant however slow it is. On H2 (one instance) the locks are this process's own.
 */
@ApplicationScoped
public class RefreshLocks {

  private static final Logger LOG = Logger.getLogger(RefreshLocks.class);

  private final Optional<String> url;
  private final Optional<String> username;
  private final Optional<String> password;
  private final boolean postgres;
  private final Set<String> mine = ConcurrentHashMap.newKeySet();
  private Connection connection;

  public RefreshLocks(
      @ConfigProperty(name = "quarkus.datasource.db-kind") String dbKind,
      @ConfigProperty(name = "quarkus.datasource.jdbc.url") Optional<String> url,
      @ConfigProperty(name = "quarkus.datasource.username") Optional<String> username,
      @ConfigProperty(name = "quarkus.datasource.password") Optional<String> password) {
    this.postgres = dbKind.startsWith("postgres");
    this.url = url;
    this.username = username;
    this.password = password;
  }

  /**
   * True when a lock proves that no live process is refreshing the grant (PostgreSQL): a lease row
   * left by a dead holder may then be taken at once, without waiting for it to expire.
   */
  public boolean crossReplica() {
    return postgres;
  }

  /** Takes the grant's lock unless any holder, in this process or another, has it. */
  public boolean tryLock(String grantId) {
    if (!mine.add(grantId)) {
      return false;
    }
    if (!postgres) {
      return true;
    }
    try {
      if (call("select pg_try_advisory_lock(?)", grantId)) {
        return true;
      }
    } catch (SQLException e) {
      mine.remove(grantId);
      throw new IllegalStateException("Refresh lock unavailable: " + e.getSQLState(), e);
    }
    mine.remove(grantId);
    return false;
  }

  public void unlock(String grantId) {
    if (!mine.remove(grantId) || !postgres) {
      return;
    }
    try {
      call("select pg_advisory_unlock(?)", grantId);
    } catch (SQLException e) {
      // the broken connection took the lock with it
      LOG.debugf("Refresh lock of grant %s went with its connection", grantId);
    }
  }

  private synchronized boolean call(String sql, String grantId) throws SQLException {
    try {
      if (connection == null || connection.isClosed()) {
        // a physical connection of its own, outside the pool: a pooled session would outlive a
        // close() and keep its locks; this one's locks end with it
        connection =
            DriverManager.getConnection(
                url.orElseThrow(), username.orElse(null), password.orElse(null));
        connection.setAutoCommit(true);
      }
      try (PreparedStatement statement = connection.prepareStatement(sql)) {
        statement.setLong(1, key(grantId));
        try (ResultSet result = statement.executeQuery()) {
          return result.next() && result.getBoolean(1);
        }
      }
    } catch (SQLException e) {
      lost();
      throw e;
    }
  }

  /** The lock connection broke: every lock it held is gone. */
  private void lost() {
    if (connection != null) {
      try {
        connection.close();
      } catch (SQLException ignored) {
        // already broken
      }
      connection = null;
    }
    if (!mine.isEmpty()) {
      LOG.warnf(
          "The refresh lock connection broke; %d grant(s) being refreshed here may be taken over",
          mine.size());
    }
  }

  static long key(String grantId) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256")
              .digest(("oauth_grant:" + grantId).getBytes(StandardCharsets.UTF_8));
      long key = 0;
      for (int i = 0; i < 8; i++) {
        key = (key << 8) | (digest[i] & 0xff);
      }
      return key;
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  synchronized void stop(@Observes ShutdownEvent event) {
    if (connection != null) {
      try {
        connection.close();
      } catch (SQLException ignored) {
        // shutting down
      }
    }
  }
}
