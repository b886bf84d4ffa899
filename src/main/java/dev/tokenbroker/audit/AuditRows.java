package dev.tokenbroker.audit;

import dev.tokenbroker.api.Ids;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.StringReader;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import javax.sql.DataSource;
import org.postgresql.PGConnection;

/**
 * Writes a batch of audit events in one transaction: on PostgreSQL with {@code COPY ... FROM STDIN}
 * (one statement for the whole batch, a fraction of the server's work per row of an INSERT batch),
 * elsewhere (H2) as a JDBC batch of INSERTs.
 */
@ApplicationScoped
class AuditRows {

  private static final String COLUMNS =
      "id, occurred_at, actor, action, outcome, provider_id, grant_id, subject, target,"
          + " request_id, detail";
  private static final String INSERT =
      "insert into audit_event (" + COLUMNS + ") values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
  private static final String COPY =
      "copy audit_event (" + COLUMNS + ") from stdin with (format csv)";

  private final DataSource dataSource;

  AuditRows(DataSource dataSource) {
    this.dataSource = dataSource;
  }

  void write(List<AuditEvent> batch) throws SQLException {
    try (Connection connection = dataSource.getConnection()) {
      connection.setAutoCommit(false);
      try {
        if (connection.isWrapperFor(PGConnection.class)) {
          copy(connection.unwrap(PGConnection.class), batch);
        } else {
          insert(connection, batch);
        }
        connection.commit();
      } catch (SQLException | RuntimeException | AssertionError e) {
        try {
          connection.rollback();
        } catch (SQLException | RuntimeException broken) {
          e.addSuppressed(broken);
        }
        throw e;
      }
    }
  }

  private static void copy(PGConnection connection, List<AuditEvent> batch) throws SQLException {
    StringBuilder csv = new StringBuilder(batch.size() * 200);
    Iterator<String> ids = ids(batch);
    for (AuditEvent e : batch) {
      field(csv, ids.next()).append(',');
      field(csv, e.occurredAt.toString());
      for (String value : textColumns(e)) {
        field(csv.append(','), value);
      }
      csv.append('\n');
    }
    try {
      connection.getCopyAPI().copyIn(COPY, new StringReader(csv.toString()));
    } catch (IOException unreachable) {
      throw new SQLException("Could not read the audit rows from memory", unreachable);
    }
  }

  /** The values of the columns after id and occurred_at, in {@link #COLUMNS} order. */
  private static List<String> textColumns(AuditEvent e) {
    return Arrays.asList(
        e.actor,
        e.action,
        e.outcome,
        e.providerId,
        e.grantId,
        e.subject,
        e.target,
        e.requestId,
        e.detail);
  }

  private static Iterator<String> ids(List<AuditEvent> batch) {
    long[] millis = new long[batch.size()];
    for (int i = 0; i < millis.length; i++) {
      millis[i] = batch.get(i).occurredAt.toEpochMilli();
    }
    return Ids.newTimePrefixedIds("evt", millis).iterator();
  }

  /** CSV as COPY reads it: null unquoted and empty, any value quoted with its quotes doubled. */
  static StringBuilder field(StringBuilder csv, String value) {
    if (value == null) {
      return csv;
    }
    csv.append('"');
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c == '"') {
        csv.append('"');
      }
      csv.append(c);
    }
    return csv.append('"');
  }

  private static void insert(Connection connection, List<AuditEvent> batch) throws SQLException {
    Iterator<String> ids = ids(batch);
    try (PreparedStatement insert = connection.prepareStatement(INSERT)) {
      for (AuditEvent e : batch) {
        insert.setString(1, ids.next());
        insert.setObject(2, OffsetDateTime.ofInstant(e.occurredAt, ZoneOffset.UTC));
        List<String> text = textColumns(e);
        for (int i = 0; i < text.size(); i++) {
          insert.setString(3 + i, text.get(i));
        }
        insert.addBatch();
      }
      insert.executeBatch();
    }
  }
}
