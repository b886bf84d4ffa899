package dev.tokenbroker.grant;

import dev.tokenbroker.caller.AllowRule;
import dev.tokenbroker.db.Database;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.util.ArrayList;
import java.util.List;
import java.util.StringJoiner;

/**
 * Pages of grants for {@code GET /v1/grants}, filtered in the query by a consumer's allow rules.
 */
@ApplicationScoped
public class GrantPages {

  private final Database db;

  public GrantPages(Database db) {
    this.db = db;
  }

  /** One page of grants ordered by id, after {@code cursor}, with optional filters. */
  @Transactional
  public List<GrantEntity> page(
      String providerId,
      String subject,
      GrantStatus status,
      String afterId,
      int limit,
      List<AllowRule> visibleTo) {
    List<Object> parameters = new ArrayList<>();
    StringBuilder sql =
        new StringBuilder("select " + GrantEntity.COLUMNS + " from oauth_grant g where g.id > ")
            .append(Database.parameter(parameters, afterId == null ? "" : afterId));
    if (providerId != null) {
      sql.append(" and g.provider_id = ").append(Database.parameter(parameters, providerId));
    }
    if (subject != null) {
      sql.append(" and g.subject = ").append(Database.parameter(parameters, subject));
    }
    if (status != null) {
      sql.append(" and g.status = ").append(Database.parameter(parameters, status));
    }
    if (visibleTo != null) {
      sql.append(" and (").append(permitted(visibleTo, parameters)).append(")");
    }
    sql.append(" order by g.id limit ").append(Database.parameter(parameters, limit));
    return db.list(
        "Reading a page of grants", sql.toString(), GrantEntity::read, parameters.toArray());
  }

  /**
   * The grants a consumer's allow rules admit, as a condition inside the query, so that a page is
   * never emptied by filtering after the limit. Subject globs become LIKE patterns.
   */
  private static String permitted(List<AllowRule> rules, List<Object> parameters) {
    if (rules.isEmpty()) {
      return "1 = 0";
    }
    StringJoiner anyRule = new StringJoiner(" or ");
    for (AllowRule rule : rules) {
      StringJoiner anySubject = new StringJoiner(" or ", "(", ")");
      for (String subject : rule.subjects()) {
        anySubject.add(
            "g.subject like "
                + Database.parameter(parameters, likePattern(subject))
                + " escape '!'");
      }
      String provider = "";
      if (!"*".equals(rule.providerId())) {
        provider = "g.provider_id = " + Database.parameter(parameters, rule.providerId()) + " and ";
      }
      anyRule.add("(" + provider + anySubject + ")");
    }
    return anyRule.toString();
  }

  static String likePattern(String glob) {
    return glob.replace("!", "!!").replace("%", "!%").replace("_", "!_").replace('*', '%');
  }
}
