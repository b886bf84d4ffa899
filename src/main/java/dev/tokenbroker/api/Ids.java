package dev.tokenbroker.api;

import java.security.SecureRandom;

/** Opaque, unguessable identifiers such as {@code grt_4h2k...}. */
public final class Ids {

  private static final SecureRandom RANDOM = new SecureRandom();
  private static final char[] ALPHABET = "abcdefghijklmnopqrstuvwxyz234567".toCharArray();

  private Ids() {}

  /** A prefix, an underscore and 20 base32 characters (100 random bits). */
  public static String newId(String prefix) {
    return prefix + "_" + randomBase32(20);
  }

  public static String randomBase32(int length) {
    char[] out = new char[length];
    for (int i = 0; i < length; i++) {
      out[i] = ALPHABET[RANDOM.nextInt(ALPHABET.length)];
    }
    return new String(out);
  }
}
