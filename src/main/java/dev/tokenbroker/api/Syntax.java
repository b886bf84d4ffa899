package dev.tokenbroker.api;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * The documented syntax of identifiers and query parameters (DESIGN §4), checked before any lookup
 * so that hostile input gets 400 naming the parameter, and never reaches the database.
 */
public final class Syntax {

  public static final String PROVIDER_ID = "[a-z0-9-]{1,64}";
  public static final String GRANT_ID = "grt_[a-z2-7]{20}";
  public static final String CALLER_ID = "clr_[a-z2-7]{20}";
  public static final String KEY_ID = "[a-z2-7]{16}";

  /**
   * One character PostgreSQL stores as given: no control character (NUL included), no lone
   * surrogate.
   */
  private static final String TEXT_CHARACTER = "[^\\p{Cc}\\p{Cs}]";

  /** Free text stored as given (names, client credentials). */
  public static final String NO_CONTROL = TEXT_CHARACTER + "*";

  public static final String NO_CONTROL_RULE = "must not contain control characters";

  /** 1-255 text characters. */
  public static final String SUBJECT = TEXT_CHARACTER + "{1,255}";

  public static final String SUBJECT_RULE = "must be 1-255 characters without control characters";

  /** Timestamps a filter may name: PostgreSQL holds years up to 294276, the API up to 9999. */
  private static final Instant LATEST = Instant.parse("9999-12-31T23:59:59Z");

  /** Each pattern compiled once: {@code String.matches} compiles its pattern on every call. */
  private static final Map<String, Pattern> COMPILED = new ConcurrentHashMap<>();

  private Syntax() {}

  /** Whether a regular expression's {@code \s} matches {@code c}: space, tab, LF, VT, FF or CR. */
  public static boolean isRegexSpace(char c) {
    return c == ' ' || (c >= '\t' && c <= '\r');
  }

  private static boolean matches(String value, String pattern) {
    return COMPILED.computeIfAbsent(pattern, Pattern::compile).matcher(value).matches();
  }

  /** The id, or 400 naming {@code name} when it does not match {@code pattern}. */
  public static String require(String name, String value, String pattern) {
    if (value == null || value.length() > 300 || !matches(value, pattern)) {
      throw ApiException.invalidRequest(name, "does not match " + pattern);
    }
    return value;
  }

  /** An optional query parameter: null stays null, anything else must match. */
  public static String optional(String name, String value, String pattern) {
    return value == null ? null : require(name, value, pattern);
  }

  public static String optionalSubject(String name, String value) {
    if (value != null && (value.length() > 255 || !matches(value, SUBJECT))) {
      throw ApiException.invalidRequest(name, SUBJECT_RULE);
    }
    return value;
  }

  /** A page size: absent gives {@code fallback}; otherwise an integer from 1 to {@code max}. */
  public static int limit(String value, int fallback, int max) {
    if (value == null) {
      return fallback;
    }
    try {
      int limit = Integer.parseInt(value.strip());
      if (limit >= 1 && limit <= max) {
        return limit;
      }
    } catch (NumberFormatException notAnInteger) {
      // answered below
    }
    throw ApiException.invalidRequest("limit", "must be an integer between 1 and " + max);
  }

  /** An RFC 3339 UTC timestamp between 1970 and 9999. */
  public static Instant timestamp(String name, String value) {
    try {
      if (value.length() <= 40) {
        Instant instant = Instant.parse(value);
        if (!instant.isBefore(Instant.EPOCH) && !instant.isAfter(LATEST)) {
          return instant;
        }
      }
    } catch (DateTimeParseException e) {
      // answered below
    }
    throw ApiException.invalidRequest(
        name, "must be an RFC 3339 UTC timestamp between 1970 and 9999");
  }
}
