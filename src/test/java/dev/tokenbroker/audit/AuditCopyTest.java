package dev.tokenbroker.audit;

import static dev.tokenbroker.support.Api.admin;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tokenbroker.api.Ids;
import dev.tokenbroker.support.PostgresProfile;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.postgresql.PGConnection;

/** On PostgreSQL the trail is written with COPY: every value arrives as it was recorded. */
@QuarkusTest
@TestProfile(PostgresProfile.class)
class AuditCopyTest {

  @Inject AuditLog audit;
  @Inject DataSource dataSource;

  @Test
  void thePoolsConnectionsUnwrapToThePostgresDriversSoTheTrailIsCopied() throws Exception {
    try (Connection connection = dataSource.getConnection()) {
      assertTrue(connection.isWrapperFor(PGConnection.class));
    }
  }

  @Test
  void quotesCommasLineBreaksBackslashesEmptyStringsAndNullsArriveAsRecorded() {
    String grant = Ids.newId("grt");
    String awkward = "a \"quoted\", comma\nnew line\r\n\\N \\. \t tab, \u00e9 and \"\"";
    audit.record(
        AuditEvent.success(AuditActions.TOKEN_ISSUED)
            .provider("p,\"1\"")
            .grant(grant)
            .subject("")
            .detail(awkward));
    audit.record(AuditEvent.of(AuditActions.TOKEN_ISSUED, "failure").grant(grant));
    audit.flush();

    JsonPath trail =
        admin()
            .get("/v1/audit-events?grant_id=" + grant)
            .then()
            .statusCode(200)
            .extract()
            .jsonPath();
    List<Map<String, Object>> items = trail.getList("items");
    assertEquals(2, items.size(), trail.prettify());
    Map<String, Object> first = withOutcome(items, "success");
    assertEquals(awkward, first.get("detail"));
    assertEquals("p,\"1\"", first.get("provider_id"));
    assertEquals("", first.get("subject"), "an empty string is not null");
    Map<String, Object> second = withOutcome(items, "failure");
    assertNull(second.get("subject"), "a null stays null");
    assertNull(second.get("provider_id"));
  }

  private static Map<String, Object> withOutcome(List<Map<String, Object>> items, String outcome) {
    return items.stream().filter(e -> outcome.equals(e.get("outcome"))).findFirst().orElseThrow();
  }
}
