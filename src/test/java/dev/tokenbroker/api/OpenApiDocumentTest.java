package dev.tokenbroker.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.junit.QuarkusTest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The served OpenAPI document names every path and method of DESIGN §4 and §5. */
@QuarkusTest
class OpenApiDocumentTest {

  private static final Map<String, List<String>> CONTRACT =
      Map.ofEntries(
          Map.entry("/v1/callers", List.of("get", "post")),
          Map.entry("/v1/callers/{}", List.of("get", "delete")),
          Map.entry("/v1/callers/{}/api-keys", List.of("post")),
          Map.entry("/v1/callers/{}/api-keys/{}", List.of("delete")),
          Map.entry("/v1/providers", List.of("get")),
          Map.entry("/v1/providers/{}", List.of("get", "put", "delete")),
          Map.entry("/v1/providers/{}/authorizations", List.of("post")),
          Map.entry("/v1/authorizations/confirm", List.of("post")),
          Map.entry("/v1/proxy/{}/{}", List.of("get", "head", "post", "put", "patch", "delete")),
          Map.entry("/v1/providers/{}/grants", List.of("post")),
          Map.entry("/v1/providers/{}/registration", List.of("post")),
          Map.entry("/v1/providers/{}/test", List.of("post")),
          Map.entry("/v1/oauth/callback", List.of("get")),
          Map.entry("/v1/oauth/token", List.of("post")),
          Map.entry("/v1/grants", List.of("get")),
          Map.entry("/v1/grants/{}", List.of("get", "delete")),
          Map.entry("/v1/grants/{}/refresh", List.of("post")),
          Map.entry("/v1/tokens", List.of("post")),
          Map.entry("/v1/audit-events", List.of("get")));

  /**
   * docs/openapi.json is the served document, so that the client generated from it at build time
   * ({@code GeneratedClientTest}) is a client of this broker.
   */
  @Test
  void theCommittedDocumentIsTheServedOne() throws IOException {
    String served =
        dev.tokenbroker.support.Api.management()
            .get("/q/openapi?format=json")
            .then()
            .statusCode(200)
            .extract()
            .asString();
    ObjectMapper json = new ObjectMapper();
    Path committed = Path.of("docs", "openapi.json");
    JsonNode expected = Files.exists(committed) ? json.readTree(committed.toFile()) : null;
    if (!json.readTree(served).equals(expected)) {
      Path current = Path.of("target", "openapi.json");
      Files.writeString(
          current,
          json.writerWithDefaultPrettyPrinter().writeValueAsString(json.readTree(served)) + "\n");
      fail("The API changed: cp " + current + " " + committed + " and rebuild the client");
    }
  }

  @Test
  void swaggerUiIsServedInTestMode() {
    dev.tokenbroker.support.Api.management().get("/q/swagger-ui/").then().statusCode(200);
  }

  @Test
  void everyContractPathAndMethodIsDocumented() {
    Map<String, Map<String, Object>> paths =
        dev.tokenbroker.support.Api.management()
            .get("/q/openapi?format=json")
            .then()
            .statusCode(200)
            .extract()
            .path("paths");
    Map<String, Set<String>> documented =
        paths.entrySet().stream()
            .collect(
                Collectors.toMap(
                    e -> e.getKey().replaceAll("\\{[^}]+}", "{}"),
                    e -> new TreeSet<>(e.getValue().keySet()),
                    (a, b) -> {
                      a.addAll(b);
                      return a;
                    }));
    for (Map.Entry<String, List<String>> path : CONTRACT.entrySet()) {
      assertTrue(documented.containsKey(path.getKey()), path.getKey() + " is not documented");
      for (String method : path.getValue()) {
        assertTrue(
            documented.get(path.getKey()).contains(method),
            method.toUpperCase() + " " + path.getKey() + " is not documented");
      }
    }
    assertEquals(
        "application/x-www-form-urlencoded",
        dev.tokenbroker.support.Api.management()
            .get("/q/openapi?format=json")
            .then()
            .extract()
            .path("paths.'/v1/oauth/token'.post.requestBody.content.keySet()[0]"));
  }
}
