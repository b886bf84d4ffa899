package dev.tokenbroker.connection;

import dev.tokenbroker.api.ApiException;
import dev.tokenbroker.api.Ids;
import dev.tokenbroker.api.ProblemCodes;
import dev.tokenbroker.caller.AuthenticatedCaller;
import dev.tokenbroker.provider.PkceMethod;
import dev.tokenbroker.provider.Preset;
import dev.tokenbroker.provider.ProviderCredentials;
import dev.tokenbroker.provider.ProviderRegistry;
import dev.tokenbroker.provider.ProviderSettings;
import dev.tokenbroker.token.TokenRequest;
import dev.tokenbroker.token.TokenResponse;
import dev.tokenbroker.token.TokenService;
import dev.tokenbroker.upstream.OAuthErrorCodes;
import dev.tokenbroker.upstream.UpstreamException;
import dev.tokenbroker.upstream.UpstreamTokenClient;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Tests a provider the way that fits its grant type. A client_credentials provider gets a token
 * through the normal token path (cached tokens and the request interval apply), then Open Badge
 * Factory's ping checks it. An authorization_code provider cannot issue tokens without a user, so
 * its token endpoint is asked to redeem a made-up code: {@code invalid_grant} proves that the
 * endpoint is reachable and accepted the client credentials; {@code invalid_client} that it did
 * not.
 */
@ApplicationScoped
public class ConnectionTester {

  private static final Logger LOG = Logger.getLogger(ConnectionTester.class);

  private final ProviderRegistry providers;
  private final TokenService tokens;
  private final UpstreamTokenClient upstream;
  private final PlatformPing ping;
  private final ProviderCredentials credentials;

  public ConnectionTester(
      ProviderRegistry providers,
      TokenService tokens,
      UpstreamTokenClient upstream,
      PlatformPing ping,
      ProviderCredentials credentials) {
    this.credentials = credentials;
    this.providers = providers;
    this.tokens = tokens;
    this.upstream = upstream;
    this.ping = ping;
  }

  public ConnectionTestResult test(AuthenticatedCaller caller, String providerId) {
    ProviderSettings provider = providers.require(providerId);
    List<ConnectionCheck> checks = new ArrayList<>();
    if (provider.usesClientCredentials()) {
      Optional<TokenResponse> token = clientToken(caller, provider, checks);
      if (token.isPresent() && provider.definition().preset() == Preset.OPEN_BADGE_FACTORY) {
        checks.add(ping.openBadgeFactory(provider, token.get().accessToken()));
      }
    } else {
      checks.add(probeTokenEndpoint(provider));
    }
    ConnectionTestResult result = ConnectionTestResult.of(provider.id(), checks);
    if (result.ok()) {
      credentials.accepted(provider.id());
    }
    LOG.infof(
        "Connection test of provider %s: %s %s",
        provider.id(),
        result.ok() ? "passed" : "failed",
        checks.stream().map(c -> c.name() + ": " + (c.ok() ? "ok" : c.code())).toList());
    return result;
  }

  private Optional<TokenResponse> clientToken(
      AuthenticatedCaller caller, ProviderSettings provider, List<ConnectionCheck> checks) {
    long started = System.nanoTime();
    try {
      TokenResponse token =
          tokens.issue(caller, new TokenRequest(provider.id(), null, null, 0, null));
      checks.add(
          ConnectionCheck.passed(
              "token",
              "Access token available, expires in " + token.expiresIn() + " s",
              millisSince(started)));
      return Optional.of(token);
    } catch (ApiException e) {
      checks.add(ConnectionCheck.failed("token", e.code(), e.getMessage(), millisSince(started)));
      return Optional.empty();
    }
  }

  private ConnectionCheck probeTokenEndpoint(ProviderSettings provider) {
    long started = System.nanoTime();
    String madeUpCode = "token-broker-connection-test-" + Ids.randomBase32(26);
    String verifier = provider.definition().pkce() == PkceMethod.S256 ? Ids.randomBase32(64) : null;
    try {
      upstream.exchangeCode(provider, madeUpCode, verifier, Duration.ZERO);
      return ConnectionCheck.failed(
          "token_endpoint",
          ProblemCodes.UPSTREAM_REJECTED,
          "The token endpoint issued tokens for a made-up authorization code",
          millisSince(started));
    } catch (UpstreamException e) {
      return classify(e, millisSince(started));
    }
  }

  private static ConnectionCheck classify(UpstreamException e, long durationMs) {
    return switch (e.kind()) {
      case GRANT_REJECTED ->
          ConnectionCheck.passed(
              "token_endpoint",
              "Reachable; client credentials accepted (a made-up code was refused with "
                  + OAuthErrorCodes.INVALID_GRANT
                  + ")",
              durationMs);
      case CLIENT_REJECTED, REQUEST_REJECTED ->
          ConnectionCheck.failed(
              "token_endpoint",
              ProblemCodes.UPSTREAM_REJECTED,
              "The token endpoint refused the broker's request: "
                  + e.errorCode()
                  + " (HTTP "
                  + e.status()
                  + ")",
              durationMs);
      case RATE_LIMITED, UNAVAILABLE ->
          ConnectionCheck.failed(
              "token_endpoint", ProblemCodes.UPSTREAM_UNAVAILABLE, e.getMessage(), durationMs);
    };
  }

  static long millisSince(long startedNanos) {
    return Duration.ofNanos(System.nanoTime() - startedNanos).toMillis();
  }
}
