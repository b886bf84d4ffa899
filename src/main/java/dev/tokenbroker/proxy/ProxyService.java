package dev.tokenbroker.proxy;

import dev.tokenbroker.api.ApiException;
import dev.tokenbroker.api.ProblemCodes;
import dev.tokenbroker.api.WorkerThreads;
import dev.tokenbroker.audit.AuditActions;
import dev.tokenbroker.audit.AuditEvent;
import dev.tokenbroker.audit.AuditLog;
import dev.tokenbroker.caller.AuthenticatedCaller;
import dev.tokenbroker.ops.BrokerMetrics;
import dev.tokenbroker.outbound.EgressGate;
import dev.tokenbroker.provider.ProviderRegistry;
import dev.tokenbroker.provider.ProviderSettings;
import dev.tokenbroker.token.TokenRequest;
import dev.tokenbroker.token.TokenResponse;
import dev.tokenbroker.token.TokenService;
import dev.tokenbroker.upstream.TokenEndpointErrorFilter;
import io.smallrye.mutiny.Uni;
import io.vertx.core.MultiMap;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.Response.Status;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.jboss.logging.Logger;

/**
 * A call through the API proxy (DESIGN §6): checks the caller's method and path rules, adds the
 * grant's access token, and sends the call once more with a new token when the upstream rejects the
 * first (the rejected-token rule: one shared refresh per grant). Near 300 lines because these steps
 * (in memory or on a worker), the provider's hold after a 429 and the call's metrics are one call's
 * sequence; the HTTP exchange is {@link UpstreamApi}'s, the rules {@link ProxyGate}'s, the headers
 * {@link ProxyHeaders}'.
 */
@ApplicationScoped
public class ProxyService {

  private static final Logger LOG = Logger.getLogger(ProxyService.class);
  private static final int MIN_VALIDITY_SECONDS = 10;

  /** One proxied call as it arrived, its path already normalised by {@link ProxyGate}. */
  record Call(
      String providerId,
      String subject,
      String method,
      String path,
      String rawQuery,
      MultiMap headers,
      byte[] body) {}

  private final ProviderRegistry providers;
  private final TokenService tokens;
  private final UpstreamApi upstream;
  private final ProxyHolds holds;
  private final EgressGate gate;
  private final ProxyConfig config;
  private final BrokerMetrics metrics;
  private final AuditLog audit;

  public ProxyService(
      ProviderRegistry providers,
      TokenService tokens,
      UpstreamApi upstream,
      ProxyHolds holds,
      EgressGate gate,
      ProxyConfig config,
      BrokerMetrics metrics,
      AuditLog audit) {
    this.providers = providers;
    this.tokens = tokens;
    this.upstream = upstream;
    this.holds = holds;
    this.gate = gate;
    this.config = config;
    this.metrics = metrics;
    this.audit = audit;
  }

  /** What a call needs before it is sent, worked out on a worker thread. */
  private record Prepared(
      ProviderSettings provider, String subject, String path, String url, TokenResponse token) {}

  /**
   * Relays the call. The checks and the token are worked out where the call arrived when memory
   * holds all they need, as on the token endpoint, and otherwise on a worker thread (they may read
   * the database or refresh); the upstream call itself holds no thread while it waits. Every
   * callback given to a Mutiny operator has all contexts captured and restored around it (context
   * propagation), so a call served from memory takes as few steps as it can (BENCHMARKS, proxy).
   */
  Uni<UpstreamApi.Answer> call(AuthenticatedCaller caller, Call call) {
    long started = System.nanoTime();
    AtomicReference<String> tag = new AtomicReference<>("unknown");
    Uni<Prepared> ready;
    try {
      Prepared fromMemory = prepare(caller, call, tag, true);
      ready =
          fromMemory != null
              ? Uni.createFrom().item(fromMemory)
              : WorkerThreads.call(() -> prepare(caller, call, tag, false));
    } catch (ApiException refused) {
      return Uni.createFrom().failure(recorded(caller, call, tag.get(), started, refused));
    }
    return ready.chain(
        p ->
            relay(caller, call, p)
                .onItemOrFailure()
                .transformToUni(
                    (answer, failure) -> {
                      if (failure != null) {
                        return Uni.createFrom()
                            .failure(recorded(caller, call, tag.get(), started, failure));
                      }
                      count(tag.get(), (answer.status() / 100) + "xx", started);
                      audit.recordProxied(
                          caller.id(),
                          p.provider().id(),
                          p.token().grantId(),
                          call.subject(),
                          call.method() + " " + p.path() + " -> " + answer.status());
                      return Uni.createFrom().item(answer);
                    }));
  }

  /**
   * The failure a call ends with, counted and audited when it is the broker's answer; an upstream
   * that could not be reached or did not answer in time is the broker's 502.
   */
  private Throwable recorded(
      AuthenticatedCaller caller, Call call, String tag, long started, Throwable failure) {
    Throwable answered = failure;
    if (failure instanceof UpstreamApi.Unanswered unanswered) {
      LOG.warnf("Proxied call to provider %s failed: %s", tag, unanswered.getMessage());
      answered =
          new ApiException(
              Status.BAD_GATEWAY,
              ProblemCodes.UPSTREAM_UNAVAILABLE,
              "The API of provider " + tag + " did not answer: " + unanswered.getMessage());
    }
    if (answered instanceof ApiException e) {
      count(tag, e.code(), started);
      audit.record(
          AuditEvent.of(AuditActions.PROXY_CALLED, e.code())
              .actor(caller.id())
              .provider(call.providerId())
              .subject(call.subject())
              .detail(call.method()));
    }
    return answered;
  }

  /**
   * The checks and the token of a call. With {@code memoryOnly} nothing blocks, and null says that
   * memory alone cannot decide (the provider, the grant's fresh token, the API's hold or the host's
   * outbound check is not in memory); a refusal is the same either way.
   */
  private Prepared prepare(
      AuthenticatedCaller caller, Call call, AtomicReference<String> tag, boolean memoryOnly) {
    Optional<ProviderSettings> found =
        memoryOnly ? providers.findCached(call.providerId()) : providers.find(call.providerId());
    if (found.isEmpty() && memoryOnly) {
      return null;
    }
    ProviderSettings provider =
        found.orElseThrow(
            () ->
                ApiException.notFound(
                    ProblemCodes.PROVIDER_NOT_FOUND, "No provider " + call.providerId()));
    tag.set(provider.id());
    String subject = subjectOf(provider, call.subject());
    String path = call.path();
    if (call.body().length > config.maxRequestBytes()) {
      throw new ApiException(
          Status.REQUEST_ENTITY_TOO_LARGE,
          ProblemCodes.PAYLOAD_TOO_LARGE,
          "The body is larger than broker.proxy.max-request-bytes");
    }
    if (!caller.mayCall(provider.id(), subject, call.method(), path)) {
      throw ApiException.forbidden(
          "Your allow rules do not permit " + call.method() + " " + path + " at " + provider.id());
    }
    if (provider.definition().apiBaseUrl() == null) {
      throw ApiException.invalidRequest(
          "provider_id", "provider " + provider.id() + " has no api_base_url");
    }
    Optional<Duration> held =
        memoryOnly
            ? holds.remainingWithoutDatabase(provider.id())
            : Optional.of(holds.remaining(provider.id()).orElse(Duration.ZERO));
    if (held.isEmpty()) {
      return null;
    }
    if (!held.get().isZero()) {
      throw ApiException.withRetryAfter(
          Status.TOO_MANY_REQUESTS,
          ProblemCodes.RATE_LIMITED,
          "The API of provider " + provider.id() + " asked to wait (Retry-After)",
          held.get());
    }
    String url =
        provider.definition().apiBaseUrl()
            + path
            + (call.rawQuery() == null || call.rawQuery().isEmpty() ? "" : "?" + call.rawQuery());
    String what = "the api_base_url of provider " + provider.id();
    TokenRequest request =
        new TokenRequest(provider.id(), subject, null, MIN_VALIDITY_SECONDS, null);
    if (!memoryOnly) {
      gate.requireAllowed(what, url);
      return new Prepared(provider, subject, path, url, tokens.forProxy(caller, request));
    }
    if (!gate.requireAllowedWithoutLookup(what, url)) {
      return null;
    }
    return tokens
        .forProxyFromMemory(caller, provider, request)
        .map(token -> new Prepared(provider, subject, path, url, token))
        .orElse(null);
  }

  /**
   * Sends the call; after a 401, once more with the token that replaced the rejected one. An answer
   * that is neither goes on at once, without another step.
   */
  private Uni<UpstreamApi.Answer> relay(AuthenticatedCaller caller, Call call, Prepared p) {
    return send(call, p.url(), p.token().accessToken())
        .chain(
            answer -> {
              if (answer.status() == 401) {
                return resent(caller, call, p, answer).chain(again -> heldIfAsked(p, again));
              }
              return heldIfAsked(p, answer);
            });
  }

  private Uni<UpstreamApi.Answer> resent(
      AuthenticatedCaller caller, Call call, Prepared p, UpstreamApi.Answer rejected) {
    String first = p.token().accessToken();
    return WorkerThreads.call(
            () ->
                tokens
                    .forProxy(
                        caller,
                        new TokenRequest(
                            p.provider().id(), p.subject(), null, MIN_VALIDITY_SECONDS, first))
                    .accessToken())
        .chain(
            renewed -> {
              if (renewed.equals(first)) {
                return Uni.createFrom().item(rejected);
              }
              LOG.infof(
                  "The API of provider %s rejected a token; %s sent again with a new one",
                  p.provider().id(), call.method());
              rejected.discard().run();
              return send(call, p.url(), renewed);
            });
  }

  private Uni<UpstreamApi.Answer> heldIfAsked(Prepared p, UpstreamApi.Answer answer) {
    return answer.status() == 429
        ? WorkerThreads.call(() -> heldAfter(p.provider(), answer))
        : Uni.createFrom().item(answer);
  }

  /** Holds the provider's API for every replica as long as its 429 asked; the answer as it is. */
  private UpstreamApi.Answer heldAfter(ProviderSettings provider, UpstreamApi.Answer answer) {
    Duration wait = TokenEndpointErrorFilter.retryAfter(answer.headers().get("Retry-After"));
    if (wait != null) {
      try {
        holds.hold(provider.id(), wait);
        LOG.infof("The API of provider %s asked to wait %s", provider.id(), wait);
      } catch (RuntimeException e) {
        LOG.warnf(
            "Could not record the Retry-After of the API of provider %s (%s)",
            provider.id(), e.getClass().getSimpleName());
      }
    }
    return answer;
  }

  private Uni<UpstreamApi.Answer> send(Call call, String url, String accessToken) {
    MultiMap headers = MultiMap.caseInsensitiveMultiMap();
    ProxyHeaders.forRequest(call.headers(), headers);
    headers.set("Authorization", "Bearer " + accessToken);
    return upstream.send(call.method(), url, headers, call.body());
  }

  private static String subjectOf(ProviderSettings provider, String subject) {
    if (provider.usesClientCredentials()) {
      return ProviderSettings.CLIENT_SUBJECT;
    }
    if (subject == null || subject.isBlank()) {
      throw ApiException.invalidRequest(
          "Token-Broker-Subject", "is required for an authorization_code provider");
    }
    return subject;
  }

  private void count(String provider, String outcome, long startedNanos) {
    metrics.proxyRequest(provider, outcome, Duration.ofNanos(System.nanoTime() - startedNanos));
  }
}
