package dev.tokenbroker.caller;

import dev.tokenbroker.db.Database;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;

/** A Kubernetes service account that authenticates as its caller. */
public class ServiceAccountEntity {

  /** Every column of {@code caller_service_account}, in the order of {@link #values}. */
  public static final String COLUMNS = "subject, caller_id, created_at";

  public static final String INSERT =
      "insert into caller_service_account (" + COLUMNS + ") values (?1, ?2, ?3)";

  /** {@code system:serviceaccount:<namespace>:<name>}, the {@code sub} of its tokens. */
  public String subject;

  public String callerId;
  public Instant createdAt;

  public static ServiceAccountEntity read(ResultSet row) throws SQLException {
    ServiceAccountEntity e = new ServiceAccountEntity();
    e.subject = row.getString("subject");
    e.callerId = row.getString("caller_id");
    e.createdAt = Database.instant(row, "created_at");
    return e;
  }

  /** The columns' values for {@link #INSERT}. */
  public Object[] values() {
    return new Object[] {subject, callerId, createdAt};
  }
}
