package dev.tokenbroker.proxy;

import io.vertx.core.MultiMap;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

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

  /** Adds to {@code out} the caller's headers the upstream may see. */
  static void forRequest(MultiMap headers, MultiMap out) {
    Set<String> named = connectionNamed(headers);
    for (Map.Entry<String, String> header : headers) {
      String key = header.getKey().toLowerCase(Locale.ROOT);
      if (!HOP_BY_HOP.contains(key)
          && !NEVER_SENT.contains(key)
          && !key.startsWith("x-forwarded-")
          && !key.startsWith("token-broker-")
          && !named.contains(key)) {
        out.add(header.getKey(), header.getValue());
      }
    }
  }

  /** The upstream's headers the caller may see, by name. */
  static Map<String, List<String>> forAnswer(MultiMap headers) {
    Set<String> named = connectionNamed(headers);
    Map<String, List<String>> returned = new LinkedHashMap<>();
    for (Map.Entry<String, String> header : headers) {
      String key = header.getKey().toLowerCase(Locale.ROOT);
      if (!HOP_BY_HOP.contains(key) && !NEVER_RETURNED.contains(key) && !named.contains(key)) {
        returned.computeIfAbsent(header.getKey(), k -> new ArrayList<>()).add(header.getValue());
      }
    }
    return returned;
  }

  private static Set<String> connectionNamed(MultiMap headers) {
    Set<String> named = new HashSet<>();
    for (String value : headers.getAll("connection")) {
      for (String token : value.split(",")) {
        named.add(token.trim().toLowerCase(Locale.ROOT));
      }
    }
    return named;
  }
}
