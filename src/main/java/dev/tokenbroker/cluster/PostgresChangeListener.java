package dev.tokenbroker.cluster;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.event.Observes;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

/**
 * Listens on PostgreSQL for the changes every replica announces ({@code LISTEN}) on one dedicated
 * connection, and hands each to this replica's observers within about a second. After a lost
 * connection it reconnects and announces a {@link ChangeNotice.Kind#RESYNC} locally, since notices
 * sent meanwhile were missed.
 */
@ApplicationScoped
public class PostgresChangeListener {

  private static final Logger LOG = Logger.getLogger(PostgresChangeListener.class);
  private static final int POLL_MILLIS = 250;

  private final DataSource dataSource;
  private final ChangeAnnouncer announcer;
  private final Event<ChangeNotice> local;
  private final boolean postgres;
  private volatile boolean running = true;
  private Thread thread;

  public PostgresChangeListener(
      DataSource dataSource,
      ChangeAnnouncer announcer,
      Event<ChangeNotice> local,
      @ConfigProperty(name = "quarkus.datasource.db-kind") String dbKind) {
    this.dataSource = dataSource;
    this.announcer = announcer;
    this.local = local;
    this.postgres = dbKind.startsWith("postgres");
  }

  void start(@Observes StartupEvent event) {
    if (!postgres) {
      return;
    }
    thread = new Thread(this::listen, "change-listener");
    thread.setDaemon(true);
    thread.start();
  }

  void stop(@Observes ShutdownEvent event) {
    running = false;
    if (thread != null) {
      thread.interrupt();
    }
  }

  private void listen() {
    boolean missedSome = false;
    while (running) {
      try (Connection connection = dataSource.getConnection()) {
        connection.setAutoCommit(true);
        try (Statement listen = connection.createStatement()) {
          listen.execute("LISTEN " + ChangeAnnouncer.CHANNEL);
        }
        if (missedSome) {
          LOG.info("Listening for cluster changes again; re-reading cached entries");
          local.fire(ChangeNotice.resync());
        }
        missedSome = true;
        PGConnection pg = connection.unwrap(PGConnection.class);
        while (running) {
          PGNotification[] notifications = pg.getNotifications(POLL_MILLIS);
          if (notifications == null) {
            continue;
          }
          for (PGNotification notification : notifications) {
            deliver(notification.getParameter());
          }
        }
      } catch (SQLException | RuntimeException e) {
        if (!running) {
          return;
        }
        LOG.warnf(
            "Lost the cluster change listener connection (%s); reconnecting",
            e.getClass().getSimpleName());
        pause();
      }
    }
  }

  private void deliver(String payload) {
    try {
      local.fire(announcer.decode(payload));
    } catch (Exception e) {
      LOG.warnf("Could not apply a cluster change notice (%s)", e.getClass().getSimpleName());
    }
  }

  private void pause() {
    try {
      Thread.sleep(1000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      running = false;
    }
  }
}
