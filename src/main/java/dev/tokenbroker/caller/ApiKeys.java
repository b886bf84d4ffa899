package dev.tokenbroker.caller;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * API keys look like {@code tbk_<key id>_<secret>}: the id finds the stored hash, the 256-bit
 * secret is checked against it in constant time. A fast hash suffices for random secrets.
 */
public final class ApiKeys {

  public static final String PREFIX = "tbk_";
  private static final Pattern FORMAT = Pattern.compile("tbk_([a-z2-7]{16})_([A-Za-z0-9_-]{43})");
  private static final SecureRandom RANDOM = new SecureRandom();

  private ApiKeys() {}

  /** A freshly generated key with its id and the hash to store. */
  public record Issued(String keyId, String apiKey, String secretSha256) {}

  /** A presented key split into id and secret. */
  public record Presented(String keyId, String secret) {}

  public static Issued issue() {
    String keyId = dev.tokenbroker.api.Ids.randomBase32(16);
    byte[] secret = new byte[32];
    RANDOM.nextBytes(secret);
    String secretText = Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
    return new Issued(keyId, PREFIX + keyId + "_" + secretText, sha256Hex(secretText));
  }

  public static Optional<Presented> parse(String apiKey) {
    var m = FORMAT.matcher(apiKey);
    return m.matches() ? Optional.of(new Presented(m.group(1), m.group(2))) : Optional.empty();
  }

  public static String sha256Hex(String value) {
    return HexFormat.of().formatHex(sha256(value));
  }

  public static byte[] sha256(String value) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Constant-time comparison of a presented secret with a stored hex hash. */
  public static boolean secretMatches(String secret, byte[] storedHash) {
    return MessageDigest.isEqual(sha256(secret), storedHash);
  }
}
