package dev.tokenbroker.audit;

import dev.tokenbroker.api.ApiException;
import dev.tokenbroker.api.Page;
import dev.tokenbroker.api.Syntax;
import dev.tokenbroker.db.Database;
import dev.tokenbroker.ops.SqlTimes;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/** Reads the audit trail, newest first, with filters and a cursor. */
@ApplicationScoped
public class AuditTrail {

  static final int MAX_PAGE = 500;

  private final Database db;

  public AuditTrail(Database db) {
    this.db = db;
  }

  /** Filters of {@code GET /v1/audit-events}; null means any. */
  public record Filter(
      String action,
      String actor,
      String outcome,
      String providerId,
      String grantId,
      String since,
      String until) {}

  @Transactional
  public Page<AuditEventView> page(Filter filter, String limit, String cursor) {
    int size = Syntax.limit(limit, 100, MAX_PAGE);
    Syntax.optional("action", filter.action(), "[a-z_.]{1,64}");
    Syntax.optional("actor", filter.actor(), "[a-z0-9_-]{1,64}");
    Syntax.optional("outcome", filter.outcome(), "[a-z0-9_]{1,64}");
    Syntax.optional("provider_id", filter.providerId(), Syntax.PROVIDER_ID);
    Syntax.optional("grant_id", filter.grantId(), Syntax.GRANT_ID);
    StringBuilder sql =
        new StringBuilder(
            "select id, occurred_at, actor, action, outcome, provider_id, grant_id, subject,"
                + " target, request_id, detail from audit_event where 1 = 1");
    List<Object> params = new ArrayList<>();
    equal(sql, params, "action", filter.action());
    equal(sql, params, "actor", filter.actor());
    equal(sql, params, "outcome", filter.outcome());
    equal(sql, params, "provider_id", filter.providerId());
    equal(sql, params, "grant_id", filter.grantId());
    if (filter.since() != null) {
      sql.append(" and occurred_at >= ")
          .append(Database.parameter(params, instant("since", filter.since())));
    }
    if (filter.until() != null) {
      sql.append(" and occurred_at < ")
          .append(Database.parameter(params, instant("until", filter.until())));
    }
    if (cursor != null && !cursor.isEmpty()) {
      Cursor after = Cursor.decode(cursor);
      String time = Database.parameter(params, after.occurredAt());
      sql.append(" and (occurred_at < ")
          .append(time)
          .append(" or (occurred_at = ")
          .append(time)
          .append(" and id < ")
          .append(Database.parameter(params, after.id()))
          .append("))");
    }
    sql.append(" order by occurred_at desc, id desc limit ")
        .append(Database.parameter(params, size + 1));
    List<Object[]> rows = db.rows("Reading audit events", sql.toString(), params.toArray());
    List<AuditEventView> items = new ArrayList<>();
    for (Object[] r : rows.subList(0, Math.min(size, rows.size()))) {
      items.add(
          new AuditEventView(
              (String) r[0],
              SqlTimes.toInstant(r[1]),
              (String) r[2],
              (String) r[3],
              (String) r[4],
              (String) r[5],
              (String) r[6],
              (String) r[7],
              (String) r[8],
              (String) r[9],
              (String) r[10]));
    }
    String next =
        rows.size() > size
            ? new Cursor(items.get(size - 1).occurredAt(), items.get(size - 1).id()).encode()
            : null;
    return new Page<>(items, next);
  }

  private static void equal(StringBuilder sql, List<Object> params, String column, String value) {
    if (value != null) {
      sql.append(" and ").append(column).append(" = ").append(Database.parameter(params, value));
    }
  }

  private static Instant instant(String field, String value) {
    return Syntax.timestamp(field, value);
  }

  private record Cursor(Instant occurredAt, String id) {
    String encode() {
      String raw = occurredAt + " " + id;
      return Base64.getUrlEncoder()
          .withoutPadding()
          .encodeToString(raw.getBytes(StandardCharsets.UTF_8));
    }

    static Cursor decode(String cursor) {
      try {
        String raw = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
        int space = raw.indexOf(' ');
        String id = raw.substring(space + 1);
        if (!id.matches("evt_[a-z2-7]{20}")) {
          throw new IllegalArgumentException("not an event id");
        }
        return new Cursor(Syntax.timestamp("cursor", raw.substring(0, space)), id);
      } catch (RuntimeException e) {
        throw ApiException.invalidRequest("cursor", "is not a cursor this API returned");
      }
    }
  }
}
