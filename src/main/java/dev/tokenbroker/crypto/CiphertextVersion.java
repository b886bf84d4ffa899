package dev.tokenbroker.crypto;

/** Reads the key version from ciphertexts shaped {@code <prefix><version>:<data>}. */
final class CiphertextVersion {

  private CiphertextVersion() {}

  static int parse(String ciphertext, String prefix, String backend) {
    int end = ciphertext == null ? -1 : ciphertext.indexOf(':', prefix.length());
    if (ciphertext == null || !ciphertext.startsWith(prefix) || end < 0) {
      throw new CryptoException("Not a " + backend + " ciphertext");
    }
    try {
      return Integer.parseInt(ciphertext.substring(prefix.length(), end));
    } catch (NumberFormatException e) {
      throw new CryptoException("Ciphertext has no key version");
    }
  }
}
