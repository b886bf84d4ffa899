package dev.tokenbroker.authorization;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.stream.Collectors;

/** Appends form-encoded parameters to a URL that may already carry a query. */
final class QueryString {

  private QueryString() {}

  static String append(String url, Map<String, String> params) {
    String query =
        params.entrySet().stream()
            .map(e -> encode(e.getKey()) + "=" + encode(e.getValue()))
            .collect(Collectors.joining("&"));
    return url + (url.contains("?") ? "&" : "?") + query;
  }

  private static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
  }
}
