package dev.tokenbroker.upstream;

import dev.tokenbroker.ops.BrokerMetrics;
import dev.tokenbroker.ops.DaemonThreads;
import dev.tokenbroker.outbound.EgressGate;
import dev.tokenbroker.provider.ClientAuthMethod;
import dev.tokenbroker.provider.GrantType;
import dev.tokenbroker.provider.ProviderChanged;
import dev.tokenbroker.provider.ProviderSettings;
import io.quarkus.oidc.client.OidcClient;
import io.quarkus.oidc.client.OidcClientConfigBuilder;
import io.quarkus.oidc.client.OidcClients;
import io.quarkus.oidc.client.Tokens;
import io.quarkus.oidc.client.runtime.OidcClientConfig.Grant;
import io.quarkus.oidc.common.runtime.config.OidcClientCommonConfig.Credentials.Secret.Method;
import io.quarkus.runtime.ShutdownEvent;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Calls providers' token and revocation endpoints through Quarkus OIDC Client: one client per
 * provider, built at run time without discovery and rebuilt when the provider changes.
 */
@ApplicationScoped
public class UpstreamTokenClient {

  private static final Logger LOG = Logger.getLogger(UpstreamTokenClient.class);

  private final OidcClients oidcClients;
  private final UpstreamConfig config;
  private final Clock clock;
  private final BrokerMetrics metrics;
  private final ProviderGuards guards;
  private final TokenRequestPacer pacer;
  private final EgressGate outbound;
  private final Map<String, ProviderClient> clients = new ConcurrentHashMap<>();
  private final ScheduledExecutorService retired =
      Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("oidc-client-retirement"));

  public UpstreamTokenClient(
      OidcClients oidcClients,
      UpstreamConfig config,
      Clock clock,
      BrokerMetrics metrics,
      ProviderGuards guards,
      TokenRequestPacer pacer,
      EgressGate outbound) {
    this.oidcClients = oidcClients;
    this.config = config;
    this.clock = clock;
    this.metrics = metrics;
    this.guards = guards;
    this.pacer = pacer;
    this.outbound = outbound;
  }

  /** RFC 6749 §4.1.3, with the PKCE verifier of RFC 7636 §4.5 when there is one. */
  public IssuedTokens exchangeCode(ProviderSettings provider, String code, String verifier) {
    return exchangeCode(provider, code, verifier, config.maxRateWait());
  }

  /**
   * As {@link #exchangeCode(ProviderSettings, String, String)}, waiting at most {@code maxRateWait}
   * for the provider's request slot.
   */
  public IssuedTokens exchangeCode(
      ProviderSettings provider, String code, String verifier, Duration maxRateWait) {
    Map<String, String> params = new HashMap<>();
    params.put("code", code);
    params.put("redirect_uri", provider.redirectUri());
    if (verifier != null) {
      params.put("code_verifier", verifier);
    }
    return call(provider, "authorization_code", maxRateWait, c -> c.getTokens(params));
  }

  /** RFC 6749 §6. */
  public IssuedTokens refresh(ProviderSettings provider, String refreshToken) {
    return refresh(provider, refreshToken, List.of());
  }

  /** RFC 6749 §6 with a {@code scope} subset when {@code scopes} is not empty (downscoping). */
  public IssuedTokens refresh(ProviderSettings provider, String refreshToken, List<String> scopes) {
    Map<String, String> params =
        scopes.isEmpty() ? Map.of() : Map.of("scope", String.join(" ", scopes));
    return call(
        provider,
        "refresh_token",
        config.maxRateWait(),
        c -> c.refreshTokens(refreshToken, params));
  }

  /** RFC 6749 §4.4. */
  public IssuedTokens clientCredentials(ProviderSettings provider, List<String> scopes) {
    Map<String, String> params =
        scopes.isEmpty() ? Map.of() : Map.of("scope", String.join(" ", scopes));
    return call(provider, "client_credentials", config.maxRateWait(), c -> c.getTokens(params));
  }

  /** RFC 7009 revocation of a refresh token; false when the provider offers none. */
  public boolean revokeRefreshToken(ProviderSettings provider, String refreshToken) {
    if (provider.revocationUrl() == null) {
      return false;
    }
    outbound.requireAllowed(
        "the revocation_url of provider " + provider.id(), provider.revocationUrl());
    try {
      return client(provider)
          .revokeAccessToken(refreshToken, Map.of("token_type_hint", "refresh_token"))
          .await()
          .atMost(config.requestTimeout());
    } catch (RuntimeException e) {
      throw translate(e);
    }
  }

  /** One paced, guarded call: the provider's rate slot, its circuit breaker and safe retries. */
  private IssuedTokens call(
      ProviderSettings provider,
      String grant,
      Duration maxRateWait,
      java.util.function.Function<OidcClient, Uni<Tokens>> op) {
    // before the rate slot and the attempt: a refused URL is no call, and no lost answer
    outbound.requireAllowed("the token_url of provider " + provider.id(), provider.tokenUrl());
    Tokens tokens =
        pacer.paced(
            provider,
            maxRateWait,
            () -> guards.call(provider, () -> attempt(provider, grant, op), Tokens.class));
    Instant now = clock.instant();
    return new IssuedTokens(
        tokens.getAccessToken(),
        tokens.getRefreshToken(),
        expiresAt(tokens, now),
        scope(tokens),
        now);
  }

  /**
   * {@code expires_in} counted from the broker's clock, not from the OIDC client's (which reads the
   * system clock and keeps whole seconds); its absolute expiry only when the answer has no {@code
   * expires_in} but a JWT access token with {@code exp}; else the assumed lifetime.
   */
  private Instant expiresAt(Tokens tokens, Instant now) {
    String expiresIn = tokens.get("expires_in");
    if (expiresIn != null) {
      try {
        return now.plusSeconds(Long.parseLong(expiresIn.trim()));
      } catch (NumberFormatException notWhole) {
        // a fractional or odd value: the OIDC client's reading below
      }
    }
    Long expiresAt = tokens.getAccessTokenExpiresAt();
    return expiresAt == null
        ? now.plus(config.assumedTokenLifetime())
        : Instant.ofEpochSecond(expiresAt);
  }

  /** One call to the token endpoint, measured. */
  private Tokens attempt(
      ProviderSettings provider,
      String grant,
      java.util.function.Function<OidcClient, Uni<Tokens>> op) {
    long started = System.nanoTime();
    try {
      Tokens tokens = op.apply(client(provider)).await().atMost(config.requestTimeout());
      metrics.upstreamRequest(provider.id(), grant, "success", since(started));
      return tokens;
    } catch (RuntimeException e) {
      UpstreamException failure = translate(e);
      metrics.upstreamRequest(provider.id(), grant, failure.errorCode(), since(started));
      LOG.debugf("%s grant at provider %s failed: %s", grant, provider.id(), failure.getMessage());
      throw failure;
    }
  }

  private static Duration since(long startedNanos) {
    return Duration.ofNanos(System.nanoTime() - startedNanos);
  }

  private static String scope(Tokens tokens) {
    try {
      return tokens.get("scope");
    } catch (RuntimeException notAString) {
      return null;
    }
  }

  private OidcClient client(ProviderSettings provider) {
    ProviderClient current = clients.get(provider.id());
    if (current != null && current.version() == provider.version()) {
      return current.client();
    }
    // Rare (first use, provider change): one builder at a time, so that concurrent first
    // callers share one client instead of closing each other's while in use.
    synchronized (clients) {
      current = clients.get(provider.id());
      if (current != null && current.version() == provider.version()) {
        return current.client();
      }
      ProviderClient created = new ProviderClient(provider.version(), build(provider));
      retire(clients.put(provider.id(), created));
      return created.client();
    }
  }

  private OidcClient build(ProviderSettings provider) {
    OidcClientConfigBuilder builder =
        new OidcClientConfigBuilder()
            .id("provider-" + provider.id() + "-v" + provider.version())
            .authServerUrl(provider.tokenUrl())
            .discoveryEnabled(false)
            // a 3xx is a failed call: nothing, least of all the client secret, goes to Location
            .followRedirects(false)
            .tokenPath(provider.tokenUrl())
            .clientId(provider.clientId())
            // one retry of a refused connection only: the request never reached the provider
            .connectionRetryCount(1)
            .connectionTimeout(config.connectTimeout())
            // calls in flight to this provider; Vert.x would otherwise keep 5 connections
            .maxPoolSize(provider.maxConcurrentRefreshes())
            .grant(
                provider.grantType() == GrantType.CLIENT_CREDENTIALS
                    ? Grant.Type.CLIENT
                    : Grant.Type.CODE);
    if (provider.revocationUrl() != null) {
      builder.revokePath(provider.revocationUrl());
    }
    if (provider.tokenUrl().regionMatches(true, 0, "https:", 0, 6)) {
      // every https connection through the gate, which checks the address it connects to
      builder.proxy("127.0.0.1", outbound.port());
    }
    if (provider.clientSecret() != null) {
      builder.credentials(
          new io.quarkus.oidc.common.runtime.config.OidcClientCommonConfigBuilder.SecretBuilder<
                  OidcClientConfigBuilder>()
              .value(provider.clientSecret())
              .method(
                  provider.clientAuthMethod() == ClientAuthMethod.CLIENT_SECRET_BASIC
                      ? Method.BASIC
                      : Method.POST)
              .build());
    }
    try {
      return oidcClients.newClient(builder.build()).await().atMost(config.requestTimeout());
    } catch (RuntimeException e) {
      LOG.warnf(
          "Could not set up the token client of provider %s (%s)",
          provider.id(), e.getClass().getSimpleName());
      throw UpstreamException.unavailable(
          "Could not set up the token client of provider " + provider.id(), true);
    }
  }

  void onProviderChanged(@Observes ProviderChanged changed) {
    retire(clients.remove(changed.providerId()));
  }

  void stop(@Observes ShutdownEvent event) {
    retired.shutdownNow();
  }

  /**
   * Closes a replaced client once the calls it may still be serving are over (a revocation after a
   * provider's deletion, a refresh racing a PUT), not under them.
   */
  private void retire(ProviderClient client) {
    if (client != null) {
      retired.schedule(
          () -> close(client),
          config.requestTimeout().plus(config.connectTimeout()).toMillis(),
          TimeUnit.MILLISECONDS);
    }
  }

  private static void close(ProviderClient client) {
    if (client != null) {
      try {
        client.client().close();
      } catch (IOException | RuntimeException e) {
        LOG.debugf("Closing an OIDC client failed: %s", e.getClass().getSimpleName());
      }
    }
  }

  private static UpstreamException translate(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof UpstreamException upstream) {
        return upstream;
      }
    }
    boolean neverReached = false;
    for (Throwable t = failure; t != null; t = t.getCause()) {
      neverReached |= t instanceof java.net.ConnectException;
    }
    return UpstreamException.unavailable(
        "Token endpoint unreachable or timed out (" + failure.getClass().getSimpleName() + ")",
        neverReached);
  }

  private record ProviderClient(long version, OidcClient client) {}
}
