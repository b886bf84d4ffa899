package dev.tokenbroker.secrets;

import dev.tokenbroker.crypto.SealedColumn;
import dev.tokenbroker.crypto.SealedColumns;
import dev.tokenbroker.crypto.SecretCipher;
import io.quarkus.vault.client.VaultClient;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;
import java.util.List;

/** Chooses where client secrets live from {@code broker.secrets.store}. */
public class ClientSecretStoreProducer implements SealedColumns {

  /** The provider row's sealed client secret: rewrapped on key rotation whichever store is on. */
  @Override
  public List<SealedColumn> sealedColumns() {
    return List.of(DatabaseClientSecrets.COLUMN);
  }

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
