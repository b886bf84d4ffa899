package dev.tokenbroker.proxy;

import dev.tokenbroker.api.ApiException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The path of a proxied call, after {@code /v1/proxy/{provider_id}}: normalised (RFC 3986 §6.2.2:
 * percent-encoded unreserved characters decoded, hex upper-cased) and refused when it could leave
 * the provider's {@code api_base_url} once the upstream decodes it: dot segments, encoded dots,
 * slashes or backslashes, backslashes, empty segments ({@code //host}), anything but path
 * characters.
 */
final class ProxyPath {

  private static final Pattern PCHARS = Pattern.compile("[A-Za-z0-9._~!$&'()*+,;=:@%-]*");
  private static final Pattern ENCODED = Pattern.compile("%[0-9A-Fa-f]{2}");
  private static final Pattern MALFORMED = Pattern.compile("%(?![0-9A-Fa-f]{2})");

  private ProxyPath() {}

  /** The normalised path, starting with {@code /}; 400 invalid_request when it is refused. */
  static String normalise(String rawPath) {
    if (rawPath == null || rawPath.isEmpty() || rawPath.charAt(0) != '/') {
      throw refused("must be a path after the provider id");
    }
    if (MALFORMED.matcher(rawPath).find()) {
      throw refused("has a malformed percent-encoding");
    }
    String[] segments = rawPath.substring(1).split("/", -1);
    StringBuilder path = new StringBuilder(rawPath.length());
    for (int i = 0; i < segments.length; i++) {
      if (!PCHARS.matcher(segments[i]).matches()) {
        throw refused("may hold only path characters (RFC 3986), percent-encoded otherwise");
      }
      String segment = decodeUnreserved(segments[i]);
      if (segment.isEmpty() && i < segments.length - 1) {
        throw refused("must not contain empty segments");
      }
      if (".".equals(segment) || "..".equals(segment)) {
        throw refused("must not contain dot segments");
      }
      path.append('/').append(segment);
    }
    return path.toString();
  }

  private static String decodeUnreserved(String segment) {
    Matcher matcher = ENCODED.matcher(segment);
    StringBuilder out = new StringBuilder(segment.length());
    int last = 0;
    while (matcher.find()) {
      out.append(segment, last, matcher.start());
      char c = (char) Integer.parseInt(matcher.group().substring(1), 16);
      if (c == '.' || c == '/' || c == '\\' || c == 0) {
        throw refused("must not contain encoded dots, slashes, backslashes or NUL");
      }
      boolean unreserved =
          (c >= 'A' && c <= 'Z')
              || (c >= 'a' && c <= 'z')
              || (c >= '0' && c <= '9')
              || c == '-'
              || c == '_'
              || c == '~';
      out.append(unreserved ? String.valueOf(c) : matcher.group().toUpperCase(Locale.ROOT));
      last = matcher.end();
    }
    return out.append(segment, last, segment.length()).toString();
  }

  private static ApiException refused(String reason) {
    return ApiException.invalidRequest("path", reason);
  }
}
