package dev.tokenbroker.cluster;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tokenbroker.db.Database;
import dev.tokenbroker.ops.AfterCommit;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Announces a change to every replica. On PostgreSQL it is a {@code NOTIFY} in the transaction that
 * made the change, so it is delivered exactly when (and only if) that commits; {@link
 * PostgresChangeListener} hands it to this replica's observers. On H2 (one instance) it is a local
 * event after the commit.
 */
@ApplicationScoped
public class ChangeAnnouncer {

  static final String CHANNEL = "token_broker_changes";

  private final Database db;
  private final AfterCommit afterCommit;
  private final Event<ChangeNotice> local;
  private final ObjectMapper json;
  private final boolean postgres;

  public ChangeAnnouncer(
      Database db,
      AfterCommit afterCommit,
      Event<ChangeNotice> local,
      ObjectMapper json,
      @ConfigProperty(name = "quarkus.datasource.db-kind") String dbKind) {
    this.db = db;
    this.afterCommit = afterCommit;
    this.local = local;
    this.json = json;
    this.postgres = dbKind.startsWith("postgres");
  }

  /** Call inside the transaction that makes the change. */
  public void announce(ChangeNotice notice) {
    if (postgres) {
      db.value("Announcing a change", "select pg_notify(?1, ?2)", CHANNEL, encode(notice));
      return;
    }
    afterCommit.run(() -> local.fire(notice));
  }

  private String encode(ChangeNotice notice) {
    try {
      return json.writeValueAsString(notice);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("Cannot encode a change notice", e);
    }
  }

  ChangeNotice decode(String payload) throws JsonProcessingException {
    return json.readValue(payload, ChangeNotice.class);
  }
}
