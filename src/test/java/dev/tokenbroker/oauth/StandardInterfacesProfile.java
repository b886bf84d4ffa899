package dev.tokenbroker.oauth;

import dev.tokenbroker.simulator.ProviderSimulatorResource;
import dev.tokenbroker.support.Api;
import dev.tokenbroker.support.FreePorts;
import dev.tokenbroker.support.TestIssuersResource;
import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The simulator, the JWT issuers, and two Quarkus OIDC clients configured with the broker as their
 * token endpoint; the broker listens on a fixed free port so that their configuration can name it.
 */
public class StandardInterfacesProfile implements QuarkusTestProfile {

  static final String CLIENT_PROVIDER = "oidc-client-credentials";
  static final String CODE_PROVIDER = "oidc-exchange";
  static final int PORT = FreePorts.reserve();

  @Override
  public Map<String, String> getConfigOverrides() {
    Map<String, String> config = new HashMap<>();
    config.put("quarkus.http.test-port", String.valueOf(PORT));
    String server = "http://localhost:" + PORT + "/v1/oauth";
    for (String client : List.of("broker-client", "broker-exchange")) {
      String prefix = "quarkus.oidc-client." + client + ".";
      config.put(prefix + "auth-server-url", server);
      config.put(prefix + "discovery-enabled", "false");
      config.put(prefix + "token-path", "token");
      config.put(prefix + "client-id", "bootstrap-admin");
      config.put(prefix + "credentials.secret", Api.ADMIN_KEY);
      config.put(prefix + "early-tokens-acquisition", "false");
    }
    config.put("quarkus.oidc-client.broker-client.grant.type", "client");
    config.put("quarkus.oidc-client.broker-client.grant-options.client.audience", CLIENT_PROVIDER);
    config.put("quarkus.oidc-client.broker-exchange.grant.type", "exchange");
    config.put(
        "quarkus.oidc-client.broker-exchange.grant-options.exchange.audience", CODE_PROVIDER);
    config.put(
        "quarkus.oidc-client.broker-exchange.grant-options.exchange.subject_token_type",
        "urn:token-broker:token-type:subject");
    return config;
  }

  @Override
  public List<TestResourceEntry> testResources() {
    return List.of(
        new TestResourceEntry(ProviderSimulatorResource.class),
        new TestResourceEntry(TestIssuersResource.class));
  }
}
