package dev.tokenbroker.crypto;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class LocalAesGcmCipherTest {

  private static final String KEY1 = "1:" + randomKey();
  private static final String KEY2 = "2:" + randomKey();
  private static final SecretBinding ROW =
      SecretBinding.of("oauth_grant", "grt_a", "refresh_token");

  private final LocalAesGcmCipher v1 = cipher(List.of(KEY1), OptionalInt.empty());

  @Test
  void encryptThenDecryptReturnsThePlaintext() {
    String ct = v1.encrypt("refresh-token-value", ROW);
    assertTrue(ct.startsWith("tbk:v1:"));
    assertFalse(ct.contains("refresh-token-value"));
    assertEquals("refresh-token-value", v1.decrypt(ct, ROW));
  }

  @Test
  void encryptWhenCalledTwiceThenCiphertextsDiffer() {
    assertNotEquals(v1.encrypt("same", ROW), v1.encrypt("same", ROW));
  }

  @Test
  void decryptWhenCiphertextTamperedThenFails() {
    String ct = v1.encrypt("secret", ROW);
    byte[] raw = Base64.getDecoder().decode(ct.substring("tbk:v1:".length()));
    raw[raw.length - 1] ^= 1;
    String tampered = "tbk:v1:" + Base64.getEncoder().encodeToString(raw);
    assertThrows(CryptoException.class, () -> v1.decrypt(tampered, ROW));
  }

  @Test
  void decryptWhenCopiedToAnotherRowThenFails() {
    String ct = v1.encrypt("secret", ROW);
    assertThrows(
        CryptoException.class,
        () -> v1.decrypt(ct, SecretBinding.of("oauth_grant", "grt_b", "refresh_token")));
    assertThrows(
        CryptoException.class,
        () -> v1.decrypt(ct, SecretBinding.of("oauth_grant", "grt_a", "access_token")));
  }

  @Test
  void decryptWhenVersionPrefixRewrittenThenFails() {
    LocalAesGcmCipher both = cipher(List.of(KEY1, KEY2), OptionalInt.of(1));
    String ct = both.encrypt("secret", ROW);
    assertThrows(CryptoException.class, () -> both.decrypt(ct.replace("tbk:v1:", "tbk:v2:"), ROW));
  }

  @Test
  void decryptWhenSealedWithOldKeyVersionThenStillWorksAfterRotation() {
    String old = v1.encrypt("secret", ROW);
    LocalAesGcmCipher rotated = cipher(List.of(KEY1, KEY2), OptionalInt.empty());
    assertEquals(2, rotated.activeKeyVersion());
    assertEquals("secret", rotated.decrypt(old, ROW));
    assertEquals(1, rotated.keyVersion(old));
    assertTrue(rotated.encrypt("new", ROW).startsWith("tbk:v2:"));
  }

  @Test
  void rewrapMovesCiphertextToActiveVersion() {
    String old = v1.encrypt("secret", ROW);
    LocalAesGcmCipher rotated = cipher(List.of(KEY1, KEY2), OptionalInt.empty());
    String rewrapped = rotated.rewrap(old, ROW);
    assertEquals(2, rotated.keyVersion(rewrapped));
    assertEquals("secret", rotated.decrypt(rewrapped, ROW));
  }

  @Test
  void decryptWhenKeyVersionUnknownThenFailsWithoutTheValue() {
    LocalAesGcmCipher onlyTwo = cipher(List.of(KEY2), OptionalInt.empty());
    String ct = v1.encrypt("secret", ROW);
    CryptoException e = assertThrows(CryptoException.class, () -> onlyTwo.decrypt(ct, ROW));
    assertFalse(e.getMessage().contains("secret"));
  }

  @Test
  void decryptWhenNotACiphertextThenFails() {
    assertThrows(CryptoException.class, () -> v1.decrypt("plain", ROW));
    assertThrows(CryptoException.class, () -> v1.decrypt("tbk:v1:!!!", ROW));
    assertThrows(CryptoException.class, () -> v1.decrypt("tbk:v1:AAAA", ROW));
  }

  @Test
  void batchOperationsRoundTrip() {
    List<SecretCipher.Sealing> plain =
        List.of(new SecretCipher.Sealing("a", ROW), new SecretCipher.Sealing("b", ROW));
    List<String> sealed = v1.encryptAll(plain);
    List<String> opened =
        v1.decryptAll(
            List.of(
                new SecretCipher.Sealing(sealed.get(0), ROW),
                new SecretCipher.Sealing(sealed.get(1), ROW)));
    assertEquals(List.of("a", "b"), opened);
  }

  @Test
  void probePassesOnAWorkingKeyAndFailsWhenARoundTripDoesNotReturnTheValue() {
    assertDoesNotThrow(v1::probe);
    SecretCipher corrupting =
        new SecretCipher() {
          @Override
          public String backend() {
            return v1.backend();
          }

          @Override
          public String encrypt(String plaintext, SecretBinding binding) {
            return v1.encrypt(plaintext, binding);
          }

          @Override
          public String decrypt(String ciphertext, SecretBinding binding) {
            return v1.decrypt(ciphertext, binding) + "?";
          }

          @Override
          public String rewrap(String ciphertext, SecretBinding binding) {
            return v1.rewrap(ciphertext, binding);
          }

          @Override
          public int keyVersion(String ciphertext) {
            return v1.keyVersion(ciphertext);
          }

          @Override
          public int activeKeyVersion() {
            return v1.activeKeyVersion();
          }

          @Override
          public String ciphertextPrefix(int version) {
            return v1.ciphertextPrefix(version);
          }
        };
    assertThrows(CryptoException.class, corrupting::probe);
  }

  private static LocalAesGcmCipher cipher(List<String> keys, OptionalInt active) {
    return new LocalAesGcmCipher(LocalKeyRing.parse(keys, active));
  }

  static String randomKey() {
    byte[] key = new byte[32];
    new SecureRandom().nextBytes(key);
    return Base64.getEncoder().encodeToString(key);
  }
}
