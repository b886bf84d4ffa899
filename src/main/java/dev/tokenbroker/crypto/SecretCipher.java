package dev.tokenbroker.crypto;

import java.util.List;

/**
 * Encrypts every secret column. The associated data binds a ciphertext to its row, so a value
 * copied to another row does not decrypt; the ciphertext names the key version that sealed it.
 */
public interface SecretCipher {

  /** Name of the backend, for health checks and metrics ({@code local}, {@code vault-transit}). */
  String backend();

  String encrypt(String plaintext, SecretBinding binding);

  String decrypt(String ciphertext, SecretBinding binding);

  /** Encrypts many values in one call where the backend supports batches. */
  default List<String> encryptAll(List<Sealing> items) {
    return items.stream().map(i -> encrypt(i.text(), i.binding())).toList();
  }

  /** Decrypts many values in one call where the backend supports batches. */
  default List<String> decryptAll(List<Sealing> items) {
    return items.stream().map(i -> decrypt(i.text(), i.binding())).toList();
  }

  /** Re-encrypts a ciphertext under the newest key version without exposing the plaintext. */
  String rewrap(String ciphertext, SecretBinding binding);

  /** The key version a ciphertext was sealed with. */
  int keyVersion(String ciphertext);

  /** The key version new ciphertexts are sealed with. */
  int activeKeyVersion();

  /** How every ciphertext of this backend sealed with {@code version} begins. */
  String ciphertextPrefix(int version);

  /** Re-encrypts many ciphertexts under the newest key version, in one call where possible. */
  default List<String> rewrapAll(List<Sealing> items) {
    return items.stream().map(i -> rewrap(i.text(), i.binding())).toList();
  }

  /**
   * Rotates the backend's key where the broker manages it (Vault Transit) and returns the new
   * version; empty where keys come from configuration (local), which rotates by adding a version.
   */
  default java.util.OptionalInt rotateKey() {
    return java.util.OptionalInt.empty();
  }

  /** Proves the backend can seal and open a value right now; throws when it cannot. */
  default void probe() {
    SecretBinding binding = SecretBinding.of("health", "probe", "value");
    if (!"ok".equals(decrypt(encrypt("ok", binding), binding))) {
      throw new CryptoException("Crypto backend round trip returned a different value");
    }
  }

  /** A text (plaintext or ciphertext) with the row it belongs to. */
  record Sealing(String text, SecretBinding binding) {}
}
