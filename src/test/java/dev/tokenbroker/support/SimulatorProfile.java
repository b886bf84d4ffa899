package dev.tokenbroker.support;

import dev.tokenbroker.simulator.ProviderSimulatorResource;
import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.List;

/**
 * The embedded defaults (H2, the local key) and the provider simulator: one Quarkus application
 * that every test class needing only these shares, where a test resource restricted to each class
 * would start (and, at discovery, build) the application once per class.
 */
public class SimulatorProfile implements QuarkusTestProfile {

  @Override
  public List<TestResourceEntry> testResources() {
    return List.of(new TestResourceEntry(ProviderSimulatorResource.class));
  }
}
