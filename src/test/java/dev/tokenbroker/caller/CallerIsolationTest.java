package dev.tokenbroker.caller;

import static dev.tokenbroker.support.Api.admin;
import static dev.tokenbroker.support.Api.as;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.tokenbroker.support.Api;
import dev.tokenbroker.support.SecretLeakGuard;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A consumer whose allow rules name subjects and scopes sees and touches only those grants: lists
 * are filtered inside the query (no empty pages with a cursor), other grants are 404, and admin
 * endpoints are 403.
 */
@QuarkusTest
@ExtendWith(SecretLeakGuard.class)
class CallerIsolationTest {

  private String provider;
  private String otherProvider;
  private String consumerKey;
  private final Map<String, String> grantIds = new HashMap<>();

  @BeforeEach
  void providersGrantsAndAConsumer() {
    provider = Api.unique("iso");
    otherProvider = Api.unique("iso-other");
    for (String p : List.of(provider, otherProvider)) {
      admin().body(Api.genericProvider()).put("/v1/providers/" + p).then().statusCode(201);
    }
    List<String> subjects = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      subjects.add(String.format("learner-%02d", i));
    }
    // "_" and "%" are LIKE wildcards in SQL: a rule naming "a_b" must not admit "axb"
    subjects.addAll(List.of("a_b", "axb", "100%", "1000"));
    for (String subject : subjects) {
      grantIds.put(subject, importGrant(provider, subject));
    }
    grantIds.put("other:learner-10", importGrant(otherProvider, "learner-10"));
    consumerKey =
        admin()
            .body(
                Map.of(
                    "name",
                    Api.unique("iso-consumer"),
                    "role",
                    "consumer",
                    "allow",
                    List.of(
                        Map.of(
                            "provider_id",
                            provider,
                            "subjects",
                            List.of("learner-1*", "learner-27", "a_b", "100%"),
                            "scopes",
                            List.of("openid")))))
            .post("/v1/callers")
            .then()
            .statusCode(201)
            .extract()
            .path("api_key");
  }

  @Test
  void listsOnlyPermittedGrantsAndNeverAnEmptyPageWithACursor() {
    Set<String> seen = new TreeSet<>();
    String cursor = null;
    int pages = 0;
    do {
      var request = as(consumerKey).queryParam("limit", 3);
      if (cursor != null) {
        request.queryParam("cursor", cursor);
      }
      JsonPath page = request.get("/v1/grants").then().statusCode(200).extract().jsonPath();
      List<Map<String, Object>> items = page.getList("items");
      cursor = page.getString("next_cursor");
      assertFalse(items.isEmpty() && cursor != null, "an empty page with a next_cursor");
      for (Map<String, Object> item : items) {
        assertEquals(provider, item.get("provider_id"));
        seen.add((String) item.get("subject"));
      }
      pages++;
    } while (cursor != null && pages < 20);
    Set<String> expected = new TreeSet<>(List.of("learner-27", "a_b", "100%"));
    for (int i = 10; i < 20; i++) {
      expected.add("learner-" + i);
    }
    assertEquals(expected, seen);
    assertEquals(5, pages, "13 grants in pages of 3");
  }

  @Test
  void grantsOutsideTheRulesAreNotFoundAndStayUntouched() {
    for (String outside : List.of("learner-05", "axb", "1000", "other:learner-10")) {
      String id = grantIds.get(outside);
      as(consumerKey)
          .get("/v1/grants/" + id)
          .then()
          .statusCode(404)
          .contentType("application/problem+json")
          .body("code", equalTo("grant_not_found"));
      as(consumerKey).delete("/v1/grants/" + id).then().statusCode(404);
      admin().get("/v1/grants/" + id).then().statusCode(200);
    }
    as(consumerKey).get("/v1/grants/" + grantIds.get("learner-12")).then().statusCode(200);
  }

  @Test
  void tokensOnlyForPermittedSubjectsAndScopes() {
    // the provider's endpoints are never reached: each answer is decided by the rules first
    Map<String, Object> outsideSubject = Map.of("provider_id", provider, "subject", "learner-05");
    as(consumerKey)
        .body(outsideSubject)
        .post("/v1/tokens")
        .then()
        .statusCode(403)
        .body("code", equalTo("forbidden"));
    Map<String, Object> outsideScope =
        Map.of("provider_id", provider, "subject", "learner-12", "scopes", List.of("profile"));
    as(consumerKey)
        .body(outsideScope)
        .post("/v1/tokens")
        .then()
        .statusCode(403)
        .body("code", equalTo("forbidden"));
  }

  @Test
  void adminOnlyEndpointsAreForbidden() {
    String grant = grantIds.get("learner-12");
    List<String[]> adminOnly =
        List.of(
            new String[] {"POST", "/v1/grants/" + grant + "/refresh"},
            new String[] {"GET", "/v1/providers"},
            new String[] {"GET", "/v1/providers/" + provider},
            new String[] {"DELETE", "/v1/providers/" + provider},
            new String[] {"POST", "/v1/providers/" + provider + "/test"},
            new String[] {"POST", "/v1/providers/" + provider + "/grants"},
            new String[] {"GET", "/v1/callers"},
            new String[] {"GET", "/v1/audit-events"},
            new String[] {"GET", "/v1/admin/crypto"},
            new String[] {"POST", "/v1/admin/crypto/rewrap"});
    for (String[] endpoint : adminOnly) {
      as(consumerKey)
          .body("{}")
          .request(endpoint[0], endpoint[1])
          .then()
          .statusCode(403)
          .contentType("application/problem+json")
          .body("code", equalTo("forbidden"));
    }
    admin().get("/v1/providers/" + provider).then().statusCode(200);
    admin().get("/v1/grants/" + grant).then().statusCode(200);
  }

  private static String importGrant(String provider, String subject) {
    return admin()
        .body(
            Map.of(
                "subject", subject, "refresh_token", "rt-" + subject, "scopes", List.of("openid")))
        .post("/v1/providers/" + provider + "/grants")
        .then()
        .statusCode(201)
        .extract()
        .path("id");
  }
}
