package dev.tokenbroker.caller;

import dev.tokenbroker.db.Database;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;

/** A caller's API key: its id and the SHA-256 of its secret part, never the key. */
public class ApiKeyEntity {

  /** Every column of {@code api_key}, in the order of {@link #values}. */
  public static final String COLUMNS = "id, caller_id, secret_sha256, created_at";

  public static final String INSERT =
      "insert into api_key (" + COLUMNS + ") values (?1, ?2, ?3, ?4)";

  public String id;
  public String callerId;
  public String secretSha256;
  public Instant createdAt;

  public static ApiKeyEntity read(ResultSet row) throws SQLException {
    ApiKeyEntity e = new ApiKeyEntity();
    e.id = row.getString("id");
    e.callerId = row.getString("caller_id");
    e.secretSha256 = row.getString("secret_sha256");
    e.createdAt = Database.instant(row, "created_at");
    return e;
  }

  /** The columns' values for {@link #INSERT}. */
  public Object[] values() {
    return new Object[] {id, callerId, secretSha256, createdAt};
  }
}
