package dev.tokenbroker.support;

import dev.tokenbroker.simulator.ProviderSimulatorResource;
import java.util.List;

/** PostgreSQL plus the provider simulator. */
public class PostgresSimulatorProfile extends PostgresProfile {

  @Override
  public List<TestResourceEntry> testResources() {
    return List.of(
        new TestResourceEntry(PostgresResource.class),
        new TestResourceEntry(ProviderSimulatorResource.class));
  }
}
