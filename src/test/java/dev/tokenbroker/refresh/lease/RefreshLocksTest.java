package dev.tokenbroker.refresh.lease;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tokenbroker.support.PostgresProfile;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import org.awaitility.Awaitility;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The advisory lock behind every refresh lease on a real PostgreSQL (ADR 7): another session's lock
 * keeps the grant, the server frees it within moments of that session's end, and then even an
 * unexpired lease row of the dead holder is taken over, with its attempt counted as interrupted.
 */
@QuarkusTest
@TestProfile(PostgresProfile.class)
class RefreshLocksTest {

  @Inject RefreshLocks locks;
  @Inject LeaseStore store;

  @ConfigProperty(name = "quarkus.datasource.jdbc.url")
  String url;

  private String grantId;

  @BeforeEach
  void newGrant() {
    grantId = dev.tokenbroker.support.Flows.grantAtANewProvider("locks");
  }

  @Test
  void anotherLiveSessionKeepsTheGrantAndItsDeathFreesItAtOnce() throws Exception {
    // another replica's own session, as RefreshLocks opens it
    try (Connection other = DriverManager.getConnection(url, "postgres", "postgres")) {
      assertTrue(advisoryLock(other), "the other replica takes the lock");
      assertFalse(locks.tryLock(grantId), "a live holder keeps its grant, however slow");
    }
    // the server ends the backend, and its locks, just after the client's close() returns
    Awaitility.await("its session ended: the server released the lock within a second")
        .atMost(Duration.ofSeconds(1))
        .until(() -> locks.tryLock(grantId));
    assertFalse(locks.tryLock(grantId), "one holder per grant within a replica too");
    locks.unlock(grantId);
  }

  @Test
  void aDeadHoldersUnexpiredLeaseIsTakenOverWithItsAttemptInterrupted() {
    store.tryLease(grantId, "dead-replica", Duration.ofMinutes(5), false, l -> {}).orElseThrow();
    assertTrue(
        store.tryLease(grantId, "alive", Duration.ofMinutes(1), false, l -> {}).isEmpty(),
        "without the lock an unexpired lease stands");
    assertTrue(locks.tryLock(grantId));
    try {
      GrantLease lease =
          store.tryLease(grantId, "alive", Duration.ofMinutes(1), true, l -> {}).orElseThrow();
      assertTrue(lease.interrupted(), "the dead holder's call may have rotated the token");
    } finally {
      locks.unlock(grantId);
    }
  }

  private boolean advisoryLock(Connection connection) throws Exception {
    try (PreparedStatement lock = connection.prepareStatement("select pg_try_advisory_lock(?)")) {
      lock.setLong(1, RefreshLocks.key(grantId));
      try (ResultSet result = lock.executeQuery()) {
        return result.next() && result.getBoolean(1);
      }
    }
  }
}
