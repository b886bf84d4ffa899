package dev.tokenbroker.caller;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tokenbroker.support.PostgresProfile;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.sql.Connection;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/** The callers API against a real PostgreSQL server. */
@QuarkusTest
@TestProfile(PostgresProfile.class)
class CallerApiPostgresTest extends CallerApiTest {

  @Inject DataSource dataSource;

  @Test
  void runsAgainstPostgresql() throws Exception {
    try (Connection connection = dataSource.getConnection()) {
      assertEquals("PostgreSQL", connection.getMetaData().getDatabaseProductName());
      assertEquals(17, connection.getMetaData().getDatabaseMajorVersion());
    }
  }
}
