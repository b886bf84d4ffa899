package dev.tokenbroker.refresh.lease;

import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.SQLException;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Who is refreshing a grant right now, cluster-wide (ADR 7). On PostgreSQL each refresh holds a
 * session-level advisory lock on one of this replica's dedicated sessions ({@link LockSession}),
 * opened with the datasource's URL and credentials outside the pool: the server releases the lock
 * the moment the process or its session dies, so a killed replica's grants are free at once, and a
 * live holder keeps its grant however slow it is. On H2 (one instance) the locks are this process's
 * own.
 */
@ApplicationScoped
public class RefreshLocks {

  private static final Logger LOG = Logger.getLogger(RefreshLocks.class);

  private final boolean postgres;
  private final Set<String> mine = ConcurrentHashMap.newKeySet();

  /**
   * Dedicated sessions, each grant's lock always on the same one: one session made every lock and
   * unlock of the replica wait for the one before it.
   */
  private final LockSession[] sessions;

  public RefreshLocks(
      @ConfigProperty(name = "quarkus.datasource.db-kind") String dbKind,
      @ConfigProperty(name = "quarkus.datasource.jdbc.url") Optional<String> url,
      @ConfigProperty(name = "quarkus.datasource.username") Optional<String> username,
      @ConfigProperty(name = "quarkus.datasource.password") Optional<String> password,
      @ConfigProperty(name = "broker.refresh.lock-sessions", defaultValue = "4") int sessions) {
    this.postgres = dbKind.startsWith("postgres");
    this.sessions = new LockSession[postgres ? Math.max(1, sessions) : 0];
    for (int i = 0; i < this.sessions.length; i++) {
      this.sessions[i] = new LockSession(url.orElseThrow(), username, password);
    }
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
      if (sessionOf(grantId).call("select pg_try_advisory_lock(?)", key(grantId))) {
        return true;
      }
    } catch (SQLException e) {
      mine.remove(grantId);
      lost();
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
      sessionOf(grantId).call("select pg_advisory_unlock(?)", key(grantId));
    } catch (SQLException e) {
      // the broken session took the lock with it
      LOG.debugf("Refresh lock of grant %s went with its session", grantId);
      lost();
    }
  }

  private LockSession sessionOf(String grantId) {
    return sessions[Math.floorMod(grantId.hashCode(), sessions.length)];
  }

  /** A lock session broke: every lock it held is gone. */
  private void lost() {
    if (!mine.isEmpty()) {
      LOG.warnf(
          "A refresh lock session broke; grants being refreshed here may be taken over (%d in"
              + " flight)",
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

  void stop(@Observes ShutdownEvent event) {
    for (LockSession session : sessions) {
      session.close();
    }
  }
}
