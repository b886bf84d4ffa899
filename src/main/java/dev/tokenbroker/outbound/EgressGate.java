package dev.tokenbroker.outbound;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.tokenbroker.api.ApiException;
import dev.tokenbroker.api.ProblemCodes;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetSocket;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.ProxySelector;
import java.net.SocketAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * The one door of outbound https connections (ADR 8): an HTTP CONNECT proxy on loopback that every
 * outbound client tunnels through. It resolves the host itself, refuses any address the outbound
 * policy does not allow, and connects to the address it checked, so that no second resolution (DNS
 * rebinding) can send a connection elsewhere. Plain http goes only to listed hosts and not through
 * it.
 */
@ApplicationScoped
public class EgressGate {

  private static final Logger LOG = Logger.getLogger(EgressGate.class);

  private final Vertx vertx;
  private final OutboundPolicy policy;
  private final HostResolver resolver;
  private final Duration connectTimeout;
  private final Clock clock;

  /** Hosts whose check before a call passed, and when: the last check of each. */
  private final Cache<String, Instant> checkedAt = Caffeine.newBuilder().maximumSize(1_000).build();

  /** How long a passed check of a host stands for {@link #requireAllowedWithoutLookup}. */
  static final Duration RECHECK = Duration.ofSeconds(30);

  private HttpServer server;
  private NetClient client;

  public EgressGate(
      Vertx vertx,
      OutboundPolicy policy,
      HostResolver resolver,
      dev.tokenbroker.upstream.UpstreamConfig upstream,
      Clock clock) {
    this.vertx = vertx;
    this.policy = policy;
    this.resolver = resolver;
    this.connectTimeout = upstream.connectTimeout();
    this.clock = clock;
  }

  /**
   * Listens from the start. Started on first use instead, a first https call made on an event loop
   * (the proxy's) waited there for a listen that needs an event loop, and that loop hung for good.
   */
  void start(@Observes StartupEvent event) {
    port();
  }

  /** The gate's loopback port. */
  public synchronized int port() {
    if (server == null) {
      client =
          vertx.createNetClient(
              new NetClientOptions().setConnectTimeout((int) connectTimeout.toMillis()));
      server =
          vertx
              .createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(0))
              .requestHandler(this::tunnel)
              .listen()
              .toCompletionStage()
              .toCompletableFuture()
              .join();
      LOG.debugf("Outbound gate listening on 127.0.0.1:%d", server.actualPort());
    }
    return server.actualPort();
  }

  /** For JDK HTTP clients: https through the gate, anything else direct (listed hosts only). */
  public ProxySelector proxySelector() {
    return new ProxySelector() {
      @Override
      public List<Proxy> select(URI uri) {
        if (!"https".equalsIgnoreCase(uri.getScheme())) {
          return List.of(Proxy.NO_PROXY);
        }
        return List.of(new Proxy(Proxy.Type.HTTP, new InetSocketAddress("127.0.0.1", port())));
      }

      @Override
      public void connectFailed(URI uri, SocketAddress address, IOException failure) {
        LOG.debugf("Outbound gate unreachable for %s: %s", uri.getHost(), failure.toString());
      }
    };
  }

  /**
   * Refuses a call to a stored URL before anything is sent (502 {@code url_not_allowed}): when the
   * policy refuses the URL (it may have been stored under a looser one), or its host resolves to no
   * address the policy allows. {@code what} names the URL, never its value. The gate checks the
   * connection itself again; this check gives the caller the clear answer.
   */
  public void requireAllowed(String what, String url) {
    URI uri = OutboundPolicy.parse(url).orElseThrow(() -> notAllowed(what));
    Optional<String> problem = policy.urlProblem(uri);
    if (problem.isEmpty() && "https".equalsIgnoreCase(uri.getScheme())) {
      String host = uri.getHost();
      Target target =
          new Target(host.startsWith("[") ? host.substring(1, host.length() - 1) : host, 443);
      try {
        if (allowedAddress(target) == null) {
          checkedAt.invalidate(host);
          problem = Optional.of(OutboundPolicy.NOT_PUBLIC);
        } else {
          checkedAt.put(host, clock.instant());
        }
      } catch (UnknownHostException unresolvable) {
        // the call fails on its own, as unreachable
      }
    }
    if (problem.isPresent()) {
      throw notAllowed(what);
    }
  }

  /**
   * {@link #requireAllowed} where it needs no lookup, for a thread that must not block: true when
   * the URL is allowed, false when only a lookup can tell (an https host whose check did not pass
   * within {@link #RECHECK}). A refused URL is refused as there. The gate checks every connection
   * again, whatever this says.
   */
  public boolean requireAllowedWithoutLookup(String what, String url) {
    URI uri = OutboundPolicy.parse(url).orElseThrow(() -> notAllowed(what));
    if (policy.urlProblem(uri).isPresent()) {
      throw notAllowed(what);
    }
    if (!"https".equalsIgnoreCase(uri.getScheme())) {
      return true;
    }
    Instant passed = checkedAt.getIfPresent(uri.getHost());
    return passed != null && clock.instant().isBefore(passed.plus(RECHECK));
  }

  /** 502 {@code url_not_allowed} for a call to {@code what} (a name, never the URL). */
  public static ApiException notAllowed(String what) {
    return new ApiException(
        502,
        ProblemCodes.URL_NOT_ALLOWED,
        "The outbound policy refuses "
            + what
            + "; an operator can allow its host with broker.outbound.allowed-hosts");
  }

  private void tunnel(HttpServerRequest request) {
    Optional<Target> target =
        request.method() == HttpMethod.CONNECT ? Target.parse(request.uri()) : Optional.empty();
    if (target.isEmpty()) {
      request.response().setStatusCode(400).end();
      return;
    }
    vertx
        .executeBlocking(() -> allowedAddress(target.get()), false)
        .onComplete(
            resolved -> {
              if (resolved.failed() || resolved.result() == null) {
                request.response().setStatusCode(403).end();
                return;
              }
              client
                  .connect(target.get().port(), resolved.result().getHostAddress())
                  .onFailure(e -> request.response().setStatusCode(502).end())
                  .onSuccess(upstream -> join(request, upstream));
            });
  }

  /** The first address of the host that the policy allows, or null when it allows none. */
  private InetAddress allowedAddress(Target target) throws UnknownHostException {
    InetAddress[] addresses = resolver.resolve(target.host());
    for (InetAddress address : addresses) {
      if (policy.mayConnect(target.host(), address)) {
        return address;
      }
    }
    LOG.warnf(
        "Outbound connection to %s refused: it resolves to %s, which the outbound policy does not"
            + " allow (broker.outbound.allowed-hosts)",
        target.host(), addresses.length == 0 ? "nothing" : addresses[0].getHostAddress());
    return null;
  }

  private static void join(HttpServerRequest request, NetSocket upstream) {
    request
        .toNetSocket()
        .onFailure(e -> upstream.close())
        .onSuccess(
            downstream -> {
              downstream.pipeTo(upstream);
              upstream.pipeTo(downstream);
            });
  }

  void stop(@Observes ShutdownEvent event) {
    synchronized (this) {
      if (server != null) {
        server.close();
        client.close();
      }
    }
  }

  /** A CONNECT request's authority-form target. */
  record Target(String host, int port) {
    static Optional<Target> parse(String authority) {
      int colon = authority.lastIndexOf(':');
      if (colon <= 0 || colon == authority.length() - 1) {
        return Optional.empty();
      }
      String host = authority.substring(0, colon);
      if (host.startsWith("[") && host.endsWith("]")) {
        host = host.substring(1, host.length() - 1);
      }
      try {
        int port = Integer.parseInt(authority.substring(colon + 1));
        return port > 0 && port < 65536 && !host.isBlank()
            ? Optional.of(new Target(host, port))
            : Optional.empty();
      } catch (NumberFormatException e) {
        return Optional.empty();
      }
    }
  }
}
