package dev.tokenbroker.api;

import dev.tokenbroker.support.Api;
import dev.tokenbroker.support.BrokerProcess;
import dev.tokenbroker.support.FreePorts;
import io.restassured.RestAssured;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * The fuzz test against the packaged jar on PostgreSQL, at full length (issue 13), with the
 * broker's RSS and metric lines before and after. Not part of the suite's run:
 *
 * <pre>
 * ./mvnw -B verify -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false \
 *     -Dit.test=HostileInputFuzzIT -Dfuzz.jar=true -Dfuzz.cases=10000
 * </pre>
 */
@EnabledIfSystemProperty(named = "fuzz.jar", matches = "true")
class HostileInputFuzzIT {

  @Test
  void hostileRequestsAgainstThePackagedJar() throws Exception {
    try (EmbeddedPostgres postgres =
            EmbeddedPostgres.builder().setPort(FreePorts.reserve()).start();
        BrokerProcess broker =
            BrokerProcess.start(
                "fuzz", BrokerProcess.productionEnvironment(postgres, Api.ADMIN_KEY))) {
      broker.awaitReady(Duration.ofSeconds(60));
      int portBefore = RestAssured.port;
      RestAssured.port = Integer.parseInt(broker.baseUrl().replaceAll(".*:", ""));
      Api.managementPort = broker.managementPort();
      try {
        long rssBefore = broker.rssMebibytes();
        long metricLinesBefore = metricLines();
        HostileInputFuzzTest fuzz = new HostileInputFuzzTest();
        fuzz.hostileRequestsNeverCause5xxAndEveryErrorIsProblemJson();
        fuzz.hostilePathsAndMethodsAddNoMetricSeries();
        System.out.printf(
            "HostileInputFuzzIT: RSS %d MiB before, %d MiB after; /q/metrics %d lines before,"
                + " %d after%n",
            rssBefore, broker.rssMebibytes(), metricLinesBefore, metricLines());
        java.nio.file.Files.writeString(
            java.nio.file.Path.of("target", "fuzz-metrics.txt"),
            Api.management().get("/q/metrics").asString());
      } finally {
        RestAssured.port = portBefore;
        Api.managementPort = 0;
      }
    }
  }

  private static long metricLines() {
    return Api.management().get("/q/metrics").asString().lines().count();
  }
}
