package dev.tokenbroker.support;

import static dev.tokenbroker.support.Api.admin;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;

/** Reads {@code /v1/audit-events}, which the audit writer fills a moment after the fact. */
public final class AuditTrail {

  private AuditTrail() {}

  /** The events of {@code query} once at least {@code atLeast} are there (at most 10 s). */
  public static List<Map<String, Object>> await(String query, int atLeast) {
    return Awaitility.await("at least " + atLeast + " audit events of " + query)
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                admin()
                    .get("/v1/audit-events?" + query)
                    .then()
                    .statusCode(200)
                    .extract()
                    .<List<Map<String, Object>>>path("items"),
            items -> items.size() >= atLeast);
  }
}
