package dev.tokenbroker.vault;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/**
 * Starts a {@link VaultApiServer} with a derived Transit key and points the broker at it: Transit
 * seals secrets, KV v2 keeps client secrets, token auth. With {@code TEST_VAULT_ADDR} and {@code
 * TEST_VAULT_TOKEN} set, the broker uses that real Vault instead (prepared by
 * deploy/vault/setup.sh), and tests that inspect the test server are skipped.
 */
public class VaultResource implements QuarkusTestResourceLifecycleManager {

  public static final String TOKEN = "test-vault-token-6f1c2d";
  public static final String TRANSIT_KEY = "token-broker";

  private VaultApiServer vault;

  @Override
  public Map<String, String> start() {
    String realVault = System.getenv("TEST_VAULT_ADDR");
    if (realVault == null || realVault.isBlank()) {
      vault = new VaultApiServer(TOKEN);
      vault.createTransitKey(TRANSIT_KEY);
    }
    return Map.of(
        "quarkus.vault.url",
        vault == null ? realVault : vault.url(),
        "quarkus.vault.authentication.client-token",
        vault == null ? System.getenv("TEST_VAULT_TOKEN") : TOKEN,
        "broker.crypto.provider",
        "vault-transit",
        "broker.crypto.vault-transit.key-name",
        TRANSIT_KEY,
        "broker.secrets.store",
        "vault-kv");
  }

  @Override
  public void inject(TestInjector injector) {
    injector.injectIntoFields(
        vault, new TestInjector.AnnotatedAndMatchesType(InjectVault.class, VaultApiServer.class));
  }

  @Override
  public void stop() {
    if (vault != null) {
      vault.close();
    }
  }
}
