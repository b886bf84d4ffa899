package dev.tokenbroker.support;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * A real PostgreSQL server that a test can stop and start again on the same port and data, as an
 * operator's database outage would look to the broker.
 */
public class RestartablePostgres implements QuarkusTestResourceLifecycleManager {

  private static Path dataDir;
  private static int port;
  private static EmbeddedPostgres running;

  @Override
  public Map<String, String> start() {
    try {
      dataDir = Files.createTempDirectory("broker-pg-outage");
      port = FreePorts.reserve();
      startServer();
    } catch (IOException e) {
      throw new UncheckedIOException("Could not start embedded PostgreSQL", e);
    }
    return Map.of(
        "quarkus.datasource.jdbc.url", running.getJdbcUrl("postgres", "postgres"),
        "quarkus.datasource.username", "postgres",
        "quarkus.datasource.password", "postgres");
  }

  /** Stops the server (pg_ctl stop): every connection breaks, new ones are refused. */
  public static synchronized void stopServer() throws IOException {
    if (running != null) {
      running.close();
      running = null;
    }
  }

  /** Starts the server again on the same port with the same data. */
  public static synchronized void startServer() throws IOException {
    if (running == null) {
      running =
          EmbeddedPostgres.builder()
              .setDataDirectory(dataDir)
              .setCleanDataDirectory(false)
              .setPort(port)
              .start();
    }
  }

  @Override
  public void stop() {
    try {
      stopServer();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
