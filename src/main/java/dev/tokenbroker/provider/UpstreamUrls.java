package dev.tokenbroker.provider;

import dev.tokenbroker.outbound.OutboundPolicy;
import java.net.URI;
import java.util.Locale;
import java.util.Optional;

/** Checks of URLs the broker sends secrets to or browsers through. */
public final class UpstreamUrls {

  private UpstreamUrls() {}

  /**
   * Why {@code value} is not even shaped like an endpoint URL, or empty: absolute http(s), no user
   * info or fragment. Where it may point is {@code outbound.OutboundPolicy}'s to say.
   */
  public static Optional<String> syntaxProblem(String value) {
    return OutboundPolicy.syntaxProblem(value);
  }

  /** Why a redirect or return URL is not acceptable, or empty. */
  public static Optional<String> browserUrlProblem(String value, boolean httpsRequired) {
    Optional<URI> uri = parse(value);
    if (uri.isEmpty()) {
      return Optional.of("must be an absolute http(s) URL");
    }
    if (uri.get().getRawFragment() != null) {
      return Optional.of("must not contain a fragment");
    }
    if (httpsRequired && !"https".equals(uri.get().getScheme())) {
      return Optional.of("must use https for this platform's production servers");
    }
    if (httpsRequired && DeveloperHosts.matches(uri.get().getHost())) {
      return Optional.of(
          "must be on the application's own host: this platform's production servers refuse"
              + " localhost, private addresses and tunnel domains");
    }
    return Optional.empty();
  }

  /** The lower-case host (and port) of a URL, or null for null or an unparsable URL. */
  public static String host(String url) {
    return parse(url)
        .map(u -> u.getHost().toLowerCase(Locale.ROOT) + (u.getPort() < 0 ? "" : ":" + u.getPort()))
        .orElse(null);
  }

  /** The URL without one trailing slash, so that paths can be appended to it. */
  public static String withoutTrailingSlash(String url) {
    return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
  }

  static Optional<URI> parse(String value) {
    return OutboundPolicy.parse(value);
  }
}
