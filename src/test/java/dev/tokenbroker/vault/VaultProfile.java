package dev.tokenbroker.vault;

import dev.tokenbroker.simulator.ProviderSimulatorResource;
import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.List;

/** The broker on Vault Transit and Vault KV v2 (the test server), plus the provider simulator. */
public class VaultProfile implements QuarkusTestProfile {

  @Override
  public List<TestResourceEntry> testResources() {
    return List.of(
        new TestResourceEntry(VaultResource.class),
        new TestResourceEntry(ProviderSimulatorResource.class));
  }
}
