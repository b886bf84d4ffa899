package dev.tokenbroker.simulator;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/** Starts a {@link ProviderSimulator} on a free loopback port for a test class. */
public class ProviderSimulatorResource implements QuarkusTestResourceLifecycleManager {

  private ProviderSimulator simulator;

  @Override
  public Map<String, String> start() {
    simulator = new ProviderSimulator();
    return Map.of();
  }

  @Override
  public void inject(TestInjector injector) {
    injector.injectIntoFields(
        simulator,
        new TestInjector.AnnotatedAndMatchesType(InjectSimulator.class, ProviderSimulator.class));
  }

  @Override
  public void stop() {
    if (simulator != null) {
      simulator.close();
    }
  }
}
