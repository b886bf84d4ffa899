package dev.tokenbroker.secrets;

import dev.tokenbroker.crypto.SealedColumn;
import dev.tokenbroker.crypto.SecretBinding;
import dev.tokenbroker.crypto.SecretCipher;

/** Client secrets encrypted into the provider row, bound to it (the embedded default). */
final class DatabaseClientSecrets implements ClientSecretStore {

  private final SecretCipher cipher;

  DatabaseClientSecrets(SecretCipher cipher) {
    this.cipher = cipher;
  }

  /** Where the secrets of the default store are sealed (a Vault KV store leaves it empty). */
  static final SealedColumn COLUMN =
      new SealedColumn("provider", "id", "client_secret_ct", "provider", "client_secret");

  static SecretBinding binding(String providerId) {
    return COLUMN.binding(providerId);
  }

  @Override
  public String kind() {
    return "database";
  }

  @Override
  public String store(String providerId, String secret) {
    return cipher.encrypt(secret, binding(providerId));
  }

  @Override
  public String open(String providerId, String stored) {
    if (stored.startsWith(VaultKvClientSecrets.REFERENCE_PREFIX)) {
      throw new IllegalStateException(
          "Provider "
              + providerId
              + " keeps its client secret in Vault KV; set broker.secrets.store=vault-kv");
    }
    return cipher.decrypt(stored, binding(providerId));
  }

  @Override
  public void delete(String providerId, String stored) {
    // the ciphertext goes with the row
  }
}
