package dev.tokenbroker.provider;

import dev.tokenbroker.api.Syntax;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Scope lists and wildcard matching. A pattern such as {@code users:userdata:*} or {@code core:*:*}
 * (Brightspace) covers a scope when each {@code :}-segment matches, {@code *} matching any one
 * segment or the rest of a segment.
 */
public final class Scopes {

  private static final Pattern WHITESPACE = Pattern.compile("\\s+");

  /** RFC 6749 §3.3 scope-token: 1*( %x21 / %x23-5B / %x5D-7E ). */
  private static final Pattern SCOPE_TOKEN = Pattern.compile("[\\x21\\x23-\\x5B\\x5D-\\x7E]+");

  static final String BRIGHTSPACE_FALLBACK = "core:*:*";

  private Scopes() {}

  public static boolean isValidToken(String scope) {
    return scope != null && scope.length() <= 200 && SCOPE_TOKEN.matcher(scope).matches();
  }

  /** Parses a space-delimited scope string (RFC 6749 §3.3) into distinct scopes, in order. */
  public static List<String> parse(String spaceDelimited) {
    if (spaceDelimited == null || spaceDelimited.isBlank()) {
      return List.of();
    }
    String stripped = spaceDelimited.strip();
    if (!containsWhitespace(stripped)) {
      return List.of(stripped);
    }
    return List.copyOf(new LinkedHashSet<>(Arrays.asList(WHITESPACE.split(stripped))));
  }

  /** Whether {@link #WHITESPACE} would split the value (one scope, the common case, is not). */
  private static boolean containsWhitespace(String value) {
    for (int i = 0; i < value.length(); i++) {
      if (Syntax.isRegexSpace(value.charAt(i))) {
        return true;
      }
    }
    return false;
  }

  public static String join(Collection<String> scopes) {
    return String.join(" ", scopes);
  }

  /** The requested scopes that no granted scope or pattern covers. */
  public static List<String> uncovered(Collection<String> requested, Collection<String> granted) {
    List<String> uncovered = List.of();
    for (String scope : requested) {
      if (!covered(scope, granted)) {
        if (uncovered.isEmpty()) {
          uncovered = new ArrayList<>();
        }
        uncovered.add(scope);
      }
    }
    return uncovered.isEmpty() ? uncovered : List.copyOf(uncovered);
  }

  private static boolean covered(String scope, Collection<String> granted) {
    for (String pattern : granted) {
      if (patternCovers(pattern, scope)) {
        return true;
      }
    }
    return false;
  }

  /**
   * The requested scopes not covered, under a preset's rules. At Brightspace a specific scope
   * {@code group:resource:action} is covered by itself and by its own {@code group:resource:*}; the
   * general fallback {@code core:*:*} covers only routes that have no specific scope, which are
   * requested as {@code core:*:*} themselves (seeds: "General fallback scope").
   */
  public static List<String> uncovered(
      Preset preset, Collection<String> requested, Collection<String> granted) {
    if (preset != Preset.BRIGHTSPACE) {
      return uncovered(requested, granted);
    }
    return requested.stream()
        .filter(r -> granted.stream().noneMatch(g -> brightspaceCovers(g, r)))
        .toList();
  }

  static boolean brightspaceCovers(String granted, String requested) {
    if (granted.equals(requested)) {
      return true;
    }
    if (granted.equals(BRIGHTSPACE_FALLBACK) || !granted.endsWith(":*")) {
      return false;
    }
    String[] g = granted.split(":", -1);
    String[] r = requested.split(":", -1);
    return g.length == 3
        && r.length == 3
        && !g[0].contains("*")
        && !g[1].contains("*")
        && g[0].equals(r[0])
        && g[1].equals(r[1]);
  }

  /** Whether {@code pattern} covers {@code scope}, segment by segment on {@code :}. */
  public static boolean patternCovers(String pattern, String scope) {
    if (pattern.equals(scope) || pattern.equals("*")) {
      return true;
    }
    if (pattern.indexOf('*') < 0) {
      return false;
    }
    String[] patternParts = pattern.split(":", -1);
    String[] scopeParts = scope.split(":", -1);
    if (patternParts.length != scopeParts.length) {
      return false;
    }
    for (int i = 0; i < patternParts.length; i++) {
      if (!globMatches(patternParts[i], scopeParts[i])) {
        return false;
      }
    }
    return true;
  }

  /** Glob match where {@code *} stands for any run of characters. */
  public static boolean globMatches(String pattern, String value) {
    int p = 0;
    int v = 0;
    int star = -1;
    int mark = 0;
    while (v < value.length()) {
      if (p < pattern.length()
          && pattern.charAt(p) == value.charAt(v)
          && pattern.charAt(p) != '*') {
        p++;
        v++;
      } else if (p < pattern.length() && pattern.charAt(p) == '*') {
        star = p++;
        mark = v;
      } else if (star >= 0) {
        p = star + 1;
        v = ++mark;
      } else {
        return false;
      }
    }
    while (p < pattern.length() && pattern.charAt(p) == '*') {
      p++;
    }
    return p == pattern.length();
  }
}
