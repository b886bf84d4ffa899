package dev.tokenbroker.api;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;

/** Opaque, unguessable identifiers such as {@code grt_4h2k...}. */
public final class Ids {

  private static final SecureRandom RANDOM = new SecureRandom();
  private static final char[] ALPHABET = "abcdefghijklmnopqrstuvwxyz234567".toCharArray();

  private static final int ID_CHARACTERS = 20;
  private static final int TIME_CHARACTERS = 10;
  private static final int TIME_SUFFIX_BYTES = byteCount(ID_CHARACTERS - TIME_CHARACTERS);

  private Ids() {}

  /** A prefix, an underscore and 20 base32 characters (100 random bits). */
  public static String newId(String prefix) {
    return prefix + "_" + randomBase32(ID_CHARACTERS);
  }

  /**
   * Ids for rows written in bulk, one per entry of {@code epochMillis}: 10 base32 characters of the
   * time and 10 random ones (50 bits) from one draw. Ids of the same second share their first
   * characters, so that an index on them grows at a few places instead of at random ones.
   */
  public static List<String> newTimePrefixedIds(String prefix, long[] epochMillis) {
    byte[] bytes = new byte[epochMillis.length * TIME_SUFFIX_BYTES];
    RANDOM.nextBytes(bytes);
    List<String> ids = new ArrayList<>(epochMillis.length);
    char[] time = new char[TIME_CHARACTERS];
    for (int n = 0; n < epochMillis.length; n++) {
      long millis = epochMillis[n];
      for (int i = TIME_CHARACTERS - 1; i >= 0; i--) {
        time[i] = ALPHABET[(int) (millis & 31)];
        millis >>>= 5;
      }
      ids.add(
          prefix
              + "_"
              + new String(time)
              + base32(bytes, n * TIME_SUFFIX_BYTES, ID_CHARACTERS - TIME_CHARACTERS));
    }
    return ids;
  }

  /** {@code length} base32 characters from one draw of random bytes (5 bits each). */
  public static String randomBase32(int length) {
    byte[] bytes = new byte[byteCount(length)];
    RANDOM.nextBytes(bytes);
    return base32(bytes, 0, length);
  }

  private static int byteCount(int characters) {
    return (characters * 5 + 7) / 8;
  }

  private static String base32(byte[] bytes, int offset, int length) {
    int end = offset + byteCount(length);
    char[] out = new char[length];
    for (int i = 0; i < length; i++) {
      int bit = i * 5;
      int at = offset + bit / 8;
      int pair = (bytes[at] & 0xff) << 8 | (at + 1 < end ? bytes[at + 1] & 0xff : 0);
      out[i] = ALPHABET[(pair >>> (11 - bit % 8)) & 31];
    }
    return new String(out);
  }
}
