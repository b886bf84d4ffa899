package dev.tokenbroker.support;

import static dev.tokenbroker.support.Api.admin;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/** Reads {@code /v1/audit-events}, which the audit writer fills a moment after the fact. */
public final class AuditTrail {

  private AuditTrail() {}

  /** The events of {@code query} once at least {@code atLeast} are there, or after 10 s. */
  public static List<Map<String, Object>> await(String query, int atLeast) {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (true) {
      List<Map<String, Object>> items =
          admin().get("/v1/audit-events?" + query).then().statusCode(200).extract().path("items");
      if (items.size() >= atLeast || System.nanoTime() > deadline) {
        return items;
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return items;
      }
    }
  }
}
