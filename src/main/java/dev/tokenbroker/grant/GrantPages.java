package dev.tokenbroker.grant;

import dev.tokenbroker.caller.AllowRule;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;

/**
 * Pages of grants for {@code GET /v1/grants}, filtered in the query by a consumer's allow rules.
 */
@ApplicationScoped
public class GrantPages {

  private final EntityManager em;

  public GrantPages(EntityManager em) {
    this.em = em;
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
    StringBuilder jpql = new StringBuilder("from GrantEntity g where g.id > :after");
    Map<String, Object> parameters = new HashMap<>();
    parameters.put("after", afterId == null ? "" : afterId);
    if (providerId != null) {
      jpql.append(" and g.providerId = :provider");
      parameters.put("provider", providerId);
    }
    if (subject != null) {
      jpql.append(" and g.subject = :subject");
      parameters.put("subject", subject);
    }
    if (status != null) {
      jpql.append(" and g.status = :status");
      parameters.put("status", status);
    }
    if (visibleTo != null) {
      jpql.append(" and (").append(permitted(visibleTo, parameters)).append(")");
    }
    var query =
        em.createQuery(jpql.append(" order by g.id").toString(), GrantEntity.class)
            .setMaxResults(limit);
    parameters.forEach(query::setParameter);
    return query.getResultList();
  }

  /**
   * The grants a consumer's allow rules admit, as a condition inside the query, so that a page is
   * never emptied by filtering after the limit. Subject globs become LIKE patterns.
   */
  private static String permitted(List<AllowRule> rules, Map<String, Object> parameters) {
    if (rules.isEmpty()) {
      return "1 = 0";
    }
    StringJoiner anyRule = new StringJoiner(" or ");
    for (int r = 0; r < rules.size(); r++) {
      AllowRule rule = rules.get(r);
      StringJoiner anySubject = new StringJoiner(" or ", "(", ")");
      for (int s = 0; s < rule.subjects().size(); s++) {
        String name = "s" + r + "_" + s;
        anySubject.add("g.subject like :" + name + " escape '!'");
        parameters.put(name, likePattern(rule.subjects().get(s)));
      }
      String provider = "";
      if (!"*".equals(rule.providerId())) {
        provider = "g.providerId = :r" + r + " and ";
        parameters.put("r" + r, rule.providerId());
      }
      anyRule.add("(" + provider + anySubject + ")");
    }
    return anyRule.toString();
  }

  static String likePattern(String glob) {
    return glob.replace("!", "!!").replace("%", "!%").replace("_", "!_").replace('*', '%');
  }
}
