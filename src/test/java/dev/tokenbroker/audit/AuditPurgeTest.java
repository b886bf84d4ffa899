package dev.tokenbroker.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tokenbroker.db.Database;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The retention purge of the audit trail (default retention: 90 days). */
@QuarkusTest
class AuditPurgeTest {

  @Inject AuditLog audit;
  @Inject Database db;

  @Test
  void eventsOlderThanTheRetentionArePurgedChunkByChunkAndNewerOnesStay() {
    String batch = "evt_purge" + UUID.randomUUID().toString().substring(0, 8);
    List<String> old = List.of(batch + "1", batch + "2", batch + "3");
    String kept = batch + "kept";
    Instant now = Instant.now();
    QuarkusTransaction.requiringNew()
        .run(
            () -> {
              for (String id : old) {
                store(id, now.minus(Duration.ofDays(91)));
              }
              store(kept, now.minus(Duration.ofDays(89)));
            });

    audit.purge(2);

    List<String> left =
        QuarkusTransaction.requiringNew()
            .call(
                () ->
                    db.list(
                        "Reading the events",
                        "select id from audit_event where id like ?1",
                        row -> row.getString(1),
                        batch + "%"));
    assertEquals(List.of(kept), left);
  }

  private void store(String id, Instant occurredAt) {
    db.update(
        "Storing an event",
        "insert into audit_event (id, occurred_at, actor, action, outcome)"
            + " values (?1, ?2, 'system', 'grant.refreshed', 'success')",
        id,
        occurredAt);
  }
}
