package dev.tokenbroker.secrets;

import dev.tokenbroker.crypto.SecretCipher;
import io.quarkus.vault.client.VaultClient;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;

/** Chooses where client secrets live from {@code broker.secrets.store}. */
public class ClientSecretStoreProducer {

  @Produces
  @ApplicationScoped
  ClientSecretStore clientSecrets(
      SecretsConfig config, SecretCipher cipher, Instance<VaultClient> vault) {
    return switch (config.store()) {
      case "database" -> new DatabaseClientSecrets(cipher);
      case "vault-kv" -> new VaultKvClientSecrets(vault.get(), config.vaultKv());
      default ->
          throw new IllegalStateException(
              "broker.secrets.store="
                  + config.store()
                  + " is not supported; use 'database' or"
                  + " 'vault-kv'");
    };
  }
}
