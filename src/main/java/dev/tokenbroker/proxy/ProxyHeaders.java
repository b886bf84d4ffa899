package dev.tokenbroker.proxy;

import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * Which headers cross the proxy. End-to-end headers pass both ways; hop-by-hop headers (RFC 9110
 * §7.6.1, and any the Connection header names), credentials, cookies and the broker's own headers
 * never do: the upstream gets the broker's bearer token and nothing of the caller's, and the caller
 * gets no cookie of the upstream.
 */
final class ProxyHeaders {

  private static final Set<String> HOP_BY_HOP =
      Set.of(
          "connection",
          "keep-alive",
          "proxy-connection",
          "proxy-authenticate",
          "proxy-authorization",
          "te",
          "trailer",
          "transfer-encoding",
          "upgrade",
          "content-length",
          "host");

  private static final Set<String> NEVER_SENT =
      Set.of(
          "authorization",
          "cookie",
          "cookie2",
          "expect",
          "forwarded",
          "x-request-id",
          "token-broker-subject");

  private static final Set<String> NEVER_RETURNED =
      Set.of("set-cookie", "set-cookie2", "token-broker-error");

  private ProxyHeaders() {}

  /** The caller's headers the upstream may see. */
  static void forRequest(Map<String, List<String>> headers, BiConsumer<String, String> out) {
    Set<String> named = connectionNamed(headers);
    headers.forEach(
        (name, values) -> {
          String key = name.toLowerCase(Locale.ROOT);
          if (!HOP_BY_HOP.contains(key)
              && !NEVER_SENT.contains(key)
              && !key.startsWith("x-forwarded-")
              && !key.startsWith("token-broker-")
              && !named.contains(key)) {
            values.forEach(v -> out.accept(name, v));
          }
        });
  }

  /** The upstream's headers the caller may see. */
  static void forAnswer(Map<String, List<String>> headers, BiConsumer<String, String> out) {
    Set<String> named = connectionNamed(headers);
    headers.forEach(
        (name, values) -> {
          String key = name.toLowerCase(Locale.ROOT);
          if (!HOP_BY_HOP.contains(key) && !NEVER_RETURNED.contains(key) && !named.contains(key)) {
            values.forEach(v -> out.accept(name, v));
          }
        });
  }

  private static Set<String> connectionNamed(Map<String, List<String>> headers) {
    Set<String> named = new HashSet<>();
    headers.forEach(
        (name, values) -> {
          if ("connection".equalsIgnoreCase(name)) {
            for (String value : values) {
              for (String token : value.split(",")) {
                named.add(token.trim().toLowerCase(Locale.ROOT));
              }
            }
          }
        });
    return named;
  }
}
