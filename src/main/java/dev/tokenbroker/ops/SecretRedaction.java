package dev.tokenbroker.ops;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Masks what looks like a credential in a log line: bearer and basic authorization values, broker
 * API keys (the key id stays), OAuth2 parameters and JSON members that carry tokens, codes or
 * secrets, and JWTs. A backstop: the code never logs secrets on purpose (DESIGN §3.1).
 */
public final class SecretRedaction {

  static final String MASK = "[REDACTED]";

  private static final String SECRET_NAMES =
      "access_token|refresh_token|id_token|client_secret|code|code_verifier|api_key|password"
          + "|assertion|client_assertion|token|state";

  private record Rule(Pattern pattern, String replacement) {}

  private static final List<Rule> RULES =
      List.of(
          new Rule(
              Pattern.compile("(?i)\\b(Bearer|Basic)\\s+[A-Za-z0-9._~+/=-]{6,}"), "$1 " + MASK),
          new Rule(Pattern.compile("\\b(tbk_[a-z2-7]{16})_[A-Za-z0-9_-]{20,}"), "$1_" + MASK),
          new Rule(
              Pattern.compile("\\beyJ[A-Za-z0-9_-]{5,}\\.[A-Za-z0-9_-]{5,}\\.[A-Za-z0-9_-]*"),
              MASK),
          new Rule(Pattern.compile("(?i)\\b(" + SECRET_NAMES + ")=[^&\\s\"',;]+"), "$1=" + MASK),
          new Rule(
              Pattern.compile("(?i)\"(" + SECRET_NAMES + ")\"\\s*:\\s*\"(?:[^\"\\\\]|\\\\.)*\""),
              "\"$1\":\"" + MASK + "\""));

  private SecretRedaction() {}

  /** The text with every credential-like part masked; the same instance when nothing matched. */
  public static String redact(String text) {
    if (text == null || text.isEmpty()) {
      return text;
    }
    String result = text;
    for (Rule rule : RULES) {
      Matcher matcher = rule.pattern().matcher(result);
      if (matcher.find()) {
        result = matcher.replaceAll(rule.replacement());
      }
    }
    return result;
  }
}
