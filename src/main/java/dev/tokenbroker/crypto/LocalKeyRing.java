package dev.tokenbroker.crypto;

import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.TreeMap;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;

/** Versioned AES-256 keys; exactly one of them seals new values. */
public final class LocalKeyRing {

  private final Map<Integer, SecretKey> keys;
  private final int activeVersion;

  private LocalKeyRing(Map<Integer, SecretKey> keys, int activeVersion) {
    this.keys = Collections.unmodifiableMap(keys);
    this.activeVersion = activeVersion;
  }

  /** Parses {@code version:base64} entries; rejects duplicates, bad lengths and bad versions. */
  public static LocalKeyRing parse(List<String> entries, OptionalInt active) {
    TreeMap<Integer, SecretKey> keys = new TreeMap<>();
    for (String raw : entries) {
      String entry = raw.strip();
      if (entry.isEmpty() || entry.startsWith("#")) {
        continue;
      }
      int colon = entry.indexOf(':');
      if (colon <= 0) {
        throw new IllegalArgumentException("A key entry must look like 'version:base64'");
      }
      int version;
      try {
        version = Integer.parseInt(entry.substring(0, colon));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("A key version must be a positive integer");
      }
      if (version < 1) {
        throw new IllegalArgumentException("A key version must be a positive integer");
      }
      byte[] material;
      try {
        material = Base64.getDecoder().decode(entry.substring(colon + 1).strip());
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("Key version " + version + " is not valid base64");
      }
      if (material.length != 32) {
        throw new IllegalArgumentException("Key version " + version + " must be 32 bytes");
      }
      if (keys.put(version, new SecretKeySpec(material, "AES")) != null) {
        throw new IllegalArgumentException("Key version " + version + " appears twice");
      }
    }
    if (keys.isEmpty()) {
      throw new IllegalArgumentException("No encryption key configured");
    }
    int activeVersion = active.orElse(keys.lastKey());
    if (!keys.containsKey(activeVersion)) {
      throw new IllegalArgumentException("Active key version " + activeVersion + " is not present");
    }
    return new LocalKeyRing(keys, activeVersion);
  }

  public int activeVersion() {
    return activeVersion;
  }

  public SecretKey active() {
    return keys.get(activeVersion);
  }

  public SecretKey version(int version) {
    SecretKey key = keys.get(version);
    if (key == null) {
      throw new CryptoException("Ciphertext sealed with unknown key version " + version);
    }
    return key;
  }
}
