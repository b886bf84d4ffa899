package dev.tokenbroker.connection;

import dev.tokenbroker.api.ProblemCodes;
import dev.tokenbroker.outbound.OutboundHttp;
import dev.tokenbroker.outbound.OutboundPolicy;
import dev.tokenbroker.provider.ProviderSettings;
import dev.tokenbroker.provider.UpstreamUrls;
import dev.tokenbroker.upstream.UpstreamConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;

/**
 * A platform's own "is this token good" call: Open Badge Factory's {@code GET
 * /v2/client/{client_id}/ping} with the access token as bearer. Redirects are not followed, so the
 * token goes nowhere but the provider's host.
 */
@ApplicationScoped
public class PlatformPing {

  static final String OBF_TOKEN_PATH = "/v2/client/oauth2/token";

  private final UpstreamConfig config;
  private final OutboundHttp http;
  private final OutboundPolicy outbound;

  public PlatformPing(UpstreamConfig config, OutboundPolicy outbound, OutboundHttp http) {
    this.config = config;
    this.outbound = outbound;
    this.http = http;
  }

  ConnectionCheck openBadgeFactory(ProviderSettings provider, String accessToken) {
    URI uri =
        URI.create(
            obfBase(provider)
                + "/v2/client/"
                + pathSegment(provider.definition().clientId())
                + "/ping");
    long started = System.nanoTime();
    if (outbound.urlProblem(uri.toString()).isPresent()) {
      return ConnectionCheck.failed(
          "ping", ProblemCodes.URL_NOT_ALLOWED, "the outbound policy refuses the ping URL", 0);
    }
    HttpRequest request =
        HttpRequest.newBuilder(uri)
            .timeout(config.requestTimeout())
            .header("Authorization", "Bearer " + accessToken)
            .header("Accept", "application/json")
            .GET()
            .build();
    try {
      int status = http.status(request, config.requestTimeout());
      long took = ConnectionTester.millisSince(started);
      if (status == 200) {
        return ConnectionCheck.passed("ping", "GET " + uri.getPath() + " answered 200", took);
      }
      String code =
          status == 401 || status == 403
              ? ProblemCodes.UPSTREAM_REJECTED
              : ProblemCodes.UPSTREAM_UNAVAILABLE;
      return ConnectionCheck.failed(
          "ping", code, "GET " + uri.getPath() + " answered " + status, took);
    } catch (OutboundHttp.Unreachable e) {
      return ConnectionCheck.failed(
          "ping",
          ProblemCodes.UPSTREAM_UNAVAILABLE,
          "GET " + uri.getPath() + " " + e.getMessage(),
          ConnectionTester.millisSince(started));
    }
  }

  /** The API root: the base URL, else the token URL without the documented token path. */
  static String obfBase(ProviderSettings provider) {
    if (provider.definition().baseUrl() != null) {
      return UpstreamUrls.withoutTrailingSlash(provider.definition().baseUrl());
    }
    String tokenUrl = provider.definition().tokenUrl();
    if (tokenUrl.endsWith(OBF_TOKEN_PATH)) {
      return tokenUrl.substring(0, tokenUrl.length() - OBF_TOKEN_PATH.length());
    }
    URI token = URI.create(tokenUrl);
    return token.getScheme() + "://" + token.getRawAuthority();
  }

  private static String pathSegment(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
  }
}
