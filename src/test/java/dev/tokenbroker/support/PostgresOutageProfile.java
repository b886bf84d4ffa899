package dev.tokenbroker.support;

import dev.tokenbroker.simulator.ProviderSimulatorResource;
import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.List;
import java.util.Map;

/**
 * PostgreSQL that the test stops and starts, the simulator, and short re-validation intervals, so
 * that every cache tries (and fails) to re-read its entries during an outage.
 */
public class PostgresOutageProfile implements QuarkusTestProfile {

  @Override
  public Map<String, String> getConfigOverrides() {
    return Map.of(
        "quarkus.datasource.db-kind", "postgresql",
        "broker.caller.auth-cache-ttl", "3s",
        "broker.cache.revalidate-every", "3s",
        "quarkus.datasource.jdbc.acquisition-timeout", "2s");
  }

  @Override
  public List<TestResourceEntry> testResources() {
    return List.of(
        new TestResourceEntry(RestartablePostgres.class),
        new TestResourceEntry(ProviderSimulatorResource.class));
  }
}
