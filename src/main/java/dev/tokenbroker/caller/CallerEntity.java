package dev.tokenbroker.caller;

import dev.tokenbroker.db.Database;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;

/** A stored caller; its allow rules are kept as JSON text. */
public class CallerEntity {

  /** Every column of {@code caller}, in the order of {@link #values}. */
  public static final String COLUMNS = "id, name, role, allow_rules, created_at, updated_at";

  public static final String INSERT =
      "insert into caller (" + COLUMNS + ") values (?1, ?2, ?3, ?4, ?5, ?6)";

  public String id;
  public String name;
  public Role role;
  public String allowRules;
  public Instant createdAt;
  public Instant updatedAt;

  public static CallerEntity read(ResultSet row) throws SQLException {
    CallerEntity e = new CallerEntity();
    e.id = row.getString("id");
    e.name = row.getString("name");
    e.role = Database.enumValue(row, "role", Role.class);
    e.allowRules = row.getString("allow_rules");
    e.createdAt = Database.instant(row, "created_at");
    e.updatedAt = Database.instant(row, "updated_at");
    return e;
  }

  /** The columns' values for {@link #INSERT}. */
  public Object[] values() {
    return new Object[] {id, name, role, allowRules, createdAt, updatedAt};
  }
}
