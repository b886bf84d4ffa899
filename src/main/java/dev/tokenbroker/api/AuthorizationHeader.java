package dev.tokenbroker.api;

import java.util.Optional;

/** Reads an {@code Authorization} header value: a scheme, whitespace, the credentials. */
public final class AuthorizationHeader {

  private AuthorizationHeader() {}

  /**
   * The credentials of a non-blank {@code value} that names {@code scheme} (in any case), separated
   * from it by a run of whitespace as {@code \s} matches it; empty when the value names another
   * scheme or carries no credentials.
   */
  public static Optional<String> credentials(String value, String scheme) {
    String stripped = value.strip();
    int end = 0;
    while (end < stripped.length() && !Syntax.isRegexSpace(stripped.charAt(end))) {
      end++;
    }
    int start = end;
    while (start < stripped.length() && Syntax.isRegexSpace(stripped.charAt(start))) {
      start++;
    }
    if (end != scheme.length()
        || start == stripped.length()
        || !stripped.regionMatches(true, 0, scheme, 0, end)) {
      return Optional.empty();
    }
    return Optional.of(stripped.substring(start));
  }
}
