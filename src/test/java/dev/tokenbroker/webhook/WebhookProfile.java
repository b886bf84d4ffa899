package dev.tokenbroker.webhook;

import dev.tokenbroker.simulator.ProviderSimulatorResource;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.List;
import java.util.Map;

/** Webhooks to a {@link WebhookReceiver}, with short retry pauses; plus the provider simulator. */
public class WebhookProfile implements QuarkusTestProfile {

  public static final String SECRET = "webhook-signing-secret-0123456789abcdef";

  /** Starts the receiver and configures the broker to deliver to it. */
  public static class Receiver implements QuarkusTestResourceLifecycleManager {
    static WebhookReceiver receiver;

    @Override
    public Map<String, String> start() {
      receiver = new WebhookReceiver();
      return Map.of(
          "broker.webhooks.url", receiver.url(),
          "broker.webhooks.secret", SECRET,
          "broker.webhooks.initial-backoff", "100ms",
          "broker.webhooks.poll-interval", "100ms",
          "broker.webhooks.max-attempts", "5",
          "broker.webhooks.timeout", "2s");
    }

    @Override
    public void stop() {
      receiver.close();
    }
  }

  @Override
  public List<TestResourceEntry> testResources() {
    return List.of(
        new TestResourceEntry(Receiver.class),
        new TestResourceEntry(ProviderSimulatorResource.class));
  }
}
