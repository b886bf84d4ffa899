package dev.tokenbroker.crypto;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;

/**
 * AES-256-GCM with a random 96-bit nonce per value. Ciphertext form: {@code
 * tbk:v<version>:<base64(nonce || ciphertext || tag)>}; the version is authenticated too.
 */
public final class LocalAesGcmCipher implements SecretCipher {

  private static final String PREFIX = "tbk:v";
  private static final int NONCE_BYTES = 12;
  private static final int TAG_BITS = 128;

  private final LocalKeyRing keys;
  private final SecureRandom random = new SecureRandom();

  /**
   * One Cipher per thread, initialised anew for every value: the JDK keeps the AES key schedule
   * while the key stays the same, which a new Cipher per value would recompute.
   */
  private final ThreadLocal<Cipher> ciphers = ThreadLocal.withInitial(LocalAesGcmCipher::newCipher);

  public LocalAesGcmCipher(LocalKeyRing keys) {
    this.keys = keys;
  }

  @Override
  public String backend() {
    return "local";
  }

  @Override
  public String encrypt(String plaintext, SecretBinding binding) {
    int version = keys.activeVersion();
    byte[] nonce = new byte[NONCE_BYTES];
    random.nextBytes(nonce);
    try {
      Cipher cipher = ciphers.get();
      cipher.init(Cipher.ENCRYPT_MODE, keys.active(), new GCMParameterSpec(TAG_BITS, nonce));
      cipher.updateAAD(associatedData(version, binding));
      byte[] sealed = cipher.doFinal(plaintext.getBytes(StandardCharsets.UTF_8));
      byte[] out = ByteBuffer.allocate(nonce.length + sealed.length).put(nonce).put(sealed).array();
      return PREFIX + version + ":" + Base64.getEncoder().encodeToString(out);
    } catch (GeneralSecurityException e) {
      throw new CryptoException("Encryption failed", e);
    }
  }

  @Override
  public String decrypt(String ciphertext, SecretBinding binding) {
    int version = keyVersion(ciphertext);
    byte[] raw;
    try {
      raw = Base64.getDecoder().decode(ciphertext.substring(ciphertext.indexOf(':', 5) + 1));
    } catch (IllegalArgumentException e) {
      throw new CryptoException("Ciphertext is not valid base64");
    }
    if (raw.length < NONCE_BYTES + TAG_BITS / 8) {
      throw new CryptoException("Ciphertext is too short");
    }
    try {
      Cipher cipher = ciphers.get();
      cipher.init(
          Cipher.DECRYPT_MODE,
          keys.version(version),
          new GCMParameterSpec(TAG_BITS, raw, 0, NONCE_BYTES));
      cipher.updateAAD(associatedData(version, binding));
      byte[] plain = cipher.doFinal(raw, NONCE_BYTES, raw.length - NONCE_BYTES);
      return new String(plain, StandardCharsets.UTF_8);
    } catch (GeneralSecurityException e) {
      throw new CryptoException("Ciphertext does not authenticate for " + describe(binding));
    }
  }

  @Override
  public String rewrap(String ciphertext, SecretBinding binding) {
    if (keyVersion(ciphertext) == keys.activeVersion()) {
      return ciphertext;
    }
    return encrypt(decrypt(ciphertext, binding), binding);
  }

  @Override
  public int keyVersion(String ciphertext) {
    return CiphertextVersion.parse(ciphertext, PREFIX, "local");
  }

  @Override
  public int activeKeyVersion() {
    return keys.activeVersion();
  }

  @Override
  public String ciphertextPrefix(int version) {
    return PREFIX + version + ":";
  }

  private static Cipher newCipher() {
    try {
      return Cipher.getInstance("AES/GCM/NoPadding");
    } catch (GeneralSecurityException e) {
      throw new CryptoException("AES/GCM is not available", e);
    }
  }

  private static byte[] associatedData(int version, SecretBinding binding) {
    byte[] row = binding.bytes();
    return ByteBuffer.allocate(4 + row.length).putInt(version).put(row).array();
  }

  private static String describe(SecretBinding binding) {
    return binding.table() + "." + binding.column() + " of " + binding.rowId();
  }
}
