package dev.tokenbroker.upstream;

import dev.tokenbroker.ops.DaemonThreads;
import dev.tokenbroker.outbound.EgressGate;
import dev.tokenbroker.provider.ClientAuthMethod;
import dev.tokenbroker.provider.GrantType;
import dev.tokenbroker.provider.ProviderChanged;
import dev.tokenbroker.provider.ProviderSettings;
import io.quarkus.oidc.client.OidcClient;
import io.quarkus.oidc.client.OidcClientConfigBuilder;
import io.quarkus.oidc.client.OidcClients;
import io.quarkus.oidc.client.runtime.OidcClientConfig.Grant;
import io.quarkus.oidc.common.runtime.config.OidcClientCommonConfig.Credentials.Secret.Method;
import io.quarkus.oidc.common.runtime.config.OidcClientCommonConfigBuilder.SecretBuilder;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * One Quarkus OIDC client per provider, built at run time without discovery, and rebuilt when the
 * provider changes; a replaced client is closed once the calls it may still serve are over.
 */
@ApplicationScoped
public class OidcClientCache {

  private static final Logger LOG = Logger.getLogger(OidcClientCache.class);

  private final OidcClients oidcClients;
  private final UpstreamConfig config;
  private final EgressGate outbound;
  private final Map<String, ProviderClient> clients = new ConcurrentHashMap<>();
  private final ScheduledExecutorService retired =
      Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("oidc-client-retirement"));

  public OidcClientCache(OidcClients oidcClients, UpstreamConfig config, EgressGate outbound) {
    this.oidcClients = oidcClients;
    this.config = config;
    this.outbound = outbound;
  }

  /** The provider's client for its current version, built on first use. */
  OidcClient client(ProviderSettings provider) {
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
      ProviderClient created =
          new ProviderClient(provider.version(), clientId(provider), build(provider));
      retire(clients.put(provider.id(), created));
      return created.client();
    }
  }

  private OidcClient build(ProviderSettings provider) {
    OidcClientConfigBuilder builder =
        new OidcClientConfigBuilder()
            .id(clientId(provider))
            .authServerUrl(provider.definition().tokenUrl())
            .discoveryEnabled(false)
            // a 3xx is a failed call: nothing, least of all the client secret, goes to Location
            .followRedirects(false)
            .tokenPath(provider.definition().tokenUrl())
            .clientId(provider.definition().clientId())
            // one retry of a refused connection only: the request never reached the provider
            .connectionRetryCount(1)
            .connectionTimeout(config.connectTimeout())
            // calls in flight to this provider; Vert.x would otherwise keep 5 connections
            .maxPoolSize(provider.definition().maxConcurrentRefreshes())
            .grant(
                provider.definition().grantType() == GrantType.CLIENT_CREDENTIALS
                    ? Grant.Type.CLIENT
                    : Grant.Type.CODE);
    if (provider.definition().revocationUrl() != null) {
      builder.revokePath(provider.definition().revocationUrl());
    }
    if (provider.definition().tokenUrl().regionMatches(true, 0, "https:", 0, 6)) {
      // every https connection through the gate, which checks the address it connects to
      builder.proxy("127.0.0.1", outbound.port());
    }
    if (provider.clientSecret() != null) {
      builder.credentials(
          new SecretBuilder<OidcClientConfigBuilder>()
              .value(provider.clientSecret())
              .method(
                  provider.definition().clientAuthMethod() == ClientAuthMethod.CLIENT_SECRET_BASIC
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

  /**
   * Replaces the client of OIDC configuration id {@code clientId}, if it is still a provider's, and
   * closes it once the calls it may be serving are over: a call on it was given up (past its
   * deadline, or its answer cut off) with its connection still open, and closing the client is what
   * closes that connection. The next call builds a new client.
   */
  void discard(String clientId) {
    for (Map.Entry<String, ProviderClient> entry : clients.entrySet()) {
      ProviderClient client = entry.getValue();
      if (client.id().equals(clientId) && clients.remove(entry.getKey(), client)) {
        LOG.infof(
            "Replacing the token client of provider %s: a call on it was given up before its"
                + " answer ended",
            entry.getKey());
        retire(client);
      }
    }
  }

  /** The id of the OIDC client configuration that the provider's current version has. */
  static String clientId(ProviderSettings provider) {
    return "provider-" + provider.id() + "-v" + provider.version();
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

  private record ProviderClient(long version, String id, OidcClient client) {}
}
