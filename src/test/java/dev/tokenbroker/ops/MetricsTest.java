package dev.tokenbroker.ops;

import static dev.tokenbroker.support.Api.admin;
import static dev.tokenbroker.support.Api.as;
import static dev.tokenbroker.support.Api.unique;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tokenbroker.grant.GrantGauges;
import dev.tokenbroker.provider.ProviderGauges;
import dev.tokenbroker.simulator.InjectSimulator;
import dev.tokenbroker.simulator.ProviderSimulator;
import dev.tokenbroker.support.Api;
import dev.tokenbroker.support.Flows;
import dev.tokenbroker.support.SimulatorProfile;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The metrics of DESIGN §4 carry the right values after real traffic. */
@QuarkusTest
@TestProfile(SimulatorProfile.class)
class MetricsTest {

  @InjectSimulator ProviderSimulator sim;
  @Inject GrantGauges gauges;
  @Inject ProviderGauges providerGauges;

  @Test
  void tokenUpstreamGrantAndLagMetricsReflectTraffic() throws IOException {
    sim.reset();
    String provider = unique("metrics");
    Flows.registerCodeProvider(provider, sim, Map.of());
    String consumer = Api.consumer(unique("m"), provider, List.of("*"));
    admin()
        .body(Flows.grantImport("m-1", sim.issueRefreshTokenFor("r:profile")))
        .post("/v1/providers/" + provider + "/grants")
        .then()
        .statusCode(201);
    String reauth =
        admin()
            .body(Flows.grantImport("m-2", "rt-unknown"))
            .post("/v1/providers/" + provider + "/grants")
            .then()
            .statusCode(201)
            .extract()
            .path("id");

    for (int i = 0; i < 5; i++) {
      as(consumer)
          .body(Map.of("provider_id", provider, "subject", "m-1"))
          .post("/v1/tokens")
          .then()
          .statusCode(200);
    }
    as(consumer)
        .body(Map.of("provider_id", provider, "subject", "nobody"))
        .post("/v1/tokens")
        .then()
        .statusCode(404);
    as(consumer)
        .body(Map.of("provider_id", provider, "subject", "m-2"))
        .post("/v1/tokens")
        .then()
        .statusCode(409);
    // m-3: the answer to its refresh is lost after rotating; the next refresh is refused
    admin()
        .body(Flows.grantImport("m-3", sim.issueRefreshTokenFor("r:profile")))
        .post("/v1/providers/" + provider + "/grants")
        .then()
        .statusCode(201);
    sim.loseNextResponses(1);
    for (int expected : new int[] {503, 409}) {
      as(consumer)
          .body(Map.of("provider_id", provider, "subject", "m-3"))
          .post("/v1/tokens")
          .then()
          .statusCode(expected);
    }
    gauges.update();
    providerGauges.update();

    String metrics =
        dev.tokenbroker.support.Api.management()
            .get("/q/metrics")
            .then()
            .statusCode(200)
            .extract()
            .asString();
    assertEquals(
        5.0, value(metrics, "broker_token_requests_total", "outcome=\"issued\"", provider));
    assertEquals(
        1.0,
        value(metrics, "broker_token_requests_total", "outcome=\"grant_not_found\"", provider));
    assertEquals(
        2.0,
        value(
            metrics,
            "broker_token_requests_total",
            "outcome=\"reauthorization_required\"",
            provider));
    assertEquals(
        1.0, value(metrics, "broker_upstream_requests_total", "outcome=\"success\"", provider));
    assertEquals(
        2.0,
        value(metrics, "broker_upstream_requests_total", "outcome=\"invalid_grant\"", provider));
    assertEquals(1.0, value(metrics, "broker_refresh_interrupted_total", "", provider));
    assertEquals(0.0, value(metrics, "broker_provider_credentials_rejected", "", provider));
    assertEquals(
        4.0,
        value(
            metrics,
            "broker_upstream_request_seconds_count",
            "grant_type=\"refresh_token\"",
            provider));
    assertTrue(metrics.contains("broker_upstream_request_seconds_bucket{"), "latency histogram");
    assertEquals(1.0, value(metrics, "broker_grants", "status=\"active\"", provider));
    assertEquals(
        2.0, value(metrics, "broker_grants", "status=\"reauthorization_required\"", provider));
    assertTrue(metrics.contains("broker_refresh_lag_seconds "), "refresh lag gauge");
    assertTrue(
        metrics.contains("http_server_requests_seconds_bucket{")
            && metrics.contains("uri=\"/v1/tokens\""),
        "token request latency histogram");
    for (String name : metricsQueriedByDashboardsAndAlerts()) {
      assertTrue(
          Pattern.compile("(?m)^" + name + "[{ ]").matcher(metrics).find(),
          name + " is queried in deploy/ but not exported");
    }
    // a subject would show as a tag value or a path segment in one; "m-1" may occur elsewhere
    Pattern subjectInTag = Pattern.compile("[\"/]m-1[\"/]");
    assertFalse(
        subjectInTag.matcher(metrics).find(),
        () ->
            "subjects never appear in metrics: "
                + metrics.lines().filter(l -> subjectInTag.matcher(l).find()).toList());
    assertFalse(metrics.contains(reauth), "grant ids never appear in metrics");
  }

  /** Metric names in the Grafana dashboard and the Prometheus rules. */
  private static java.util.Set<String> metricsQueriedByDashboardsAndAlerts() throws IOException {
    java.util.Set<String> names = new java.util.TreeSet<>();
    for (Path file :
        List.of(
            Path.of("deploy/grafana/token-broker-dashboard.json"),
            Path.of("deploy/prometheus/token-broker-rules.yml"))) {
      Matcher m =
          Pattern.compile("\\b(broker_[a-z_]+|http_server_requests_seconds_[a-z]+)\\b")
              .matcher(Files.readString(file));
      while (m.find()) {
        names.add(m.group(1));
      }
    }
    assertTrue(names.size() >= 7, "found " + names);
    return names;
  }

  private static double value(String metrics, String name, String tag, String provider) {
    Pattern line = Pattern.compile("^" + name + "\\{([^}]*)\\} ([0-9.eE+-]+)$", Pattern.MULTILINE);
    Matcher m = line.matcher(metrics);
    double total = 0;
    boolean found = false;
    while (m.find()) {
      if (m.group(1).contains(tag) && m.group(1).contains("provider=\"" + provider + "\"")) {
        total += Double.parseDouble(m.group(2));
        found = true;
      }
    }
    assertTrue(found, name + " with " + tag + " for " + provider + " missing");
    return total;
  }
}
