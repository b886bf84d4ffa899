package dev.tokenbroker.secrets;

/**
 * Where providers' client secrets live. The provider row keeps what {@link #store} returns: a
 * ciphertext (database store) or only a reference (Vault KV v2).
 */
public interface ClientSecretStore {

  /** {@code database} or {@code vault-kv}. */
  String kind();

  /** Saves the secret of a provider and returns the value for the provider row. */
  String store(String providerId, String secret);

  /** The secret of a provider, from the value its row holds. */
  String open(String providerId, String stored);

  /** Removes the secret of a deleted provider; a no-op where the row was the only copy. */
  void delete(String providerId, String stored);
}
