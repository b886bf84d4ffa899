package dev.tokenbroker.upstream;

import dev.tokenbroker.ops.BrokerMetrics;
import dev.tokenbroker.outbound.EgressGate;
import dev.tokenbroker.provider.ProviderSettings;
import io.quarkus.oidc.client.OidcClient;
import io.quarkus.oidc.client.Tokens;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * Calls providers' token and revocation endpoints through Quarkus OIDC Client (the clients of
 * {@link OidcClientCache}): paced, guarded, measured, and with failures as {@link
 * UpstreamException}.
 */
@ApplicationScoped
public class UpstreamTokenClient {

  private static final Logger LOG = Logger.getLogger(UpstreamTokenClient.class);

  private final UpstreamConfig config;
  private final Clock clock;
  private final BrokerMetrics metrics;
  private final ProviderGuards guards;
  private final TokenRequestPacer pacer;
  private final EgressGate outbound;
  private final OidcClientCache clients;

  public UpstreamTokenClient(
      OidcClientCache clients,
      UpstreamConfig config,
      Clock clock,
      BrokerMetrics metrics,
      ProviderGuards guards,
      TokenRequestPacer pacer,
      EgressGate outbound) {
    this.clients = clients;
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
    params.put("redirect_uri", provider.definition().redirectUri());
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
    if (provider.definition().revocationUrl() == null) {
      return false;
    }
    outbound.requireAllowed(
        "the revocation_url of provider " + provider.id(), provider.definition().revocationUrl());
    try {
      return await(
          provider,
          c -> c.revokeAccessToken(refreshToken, Map.of("token_type_hint", "refresh_token")));
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
    outbound.requireAllowed(
        "the token_url of provider " + provider.id(), provider.definition().tokenUrl());
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
      Tokens tokens = await(provider, op);
      metrics.upstreamRequest(provider.id(), grant, "success", since(started));
      return tokens;
    } catch (RuntimeException e) {
      UpstreamException failure = translate(e);
      metrics.upstreamRequest(provider.id(), grant, failure.errorCode(), since(started));
      LOG.debugf("%s grant at provider %s failed: %s", grant, provider.id(), failure.getMessage());
      throw failure;
    }
  }

  /**
   * One call on the provider's client, within the request deadline. A call given up at the deadline
   * may leave its connection reading an answer that only closing the client ends.
   */
  private <T> T await(
      ProviderSettings provider, java.util.function.Function<OidcClient, Uni<T>> op) {
    try {
      return op.apply(clients.client(provider)).await().atMost(config.requestTimeout());
    } catch (io.smallrye.mutiny.TimeoutException e) {
      clients.discard(OidcClientCache.clientId(provider));
      throw e;
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
}
