package dev.tokenbroker.caller;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.LoadingCache;
import com.github.benmanes.caffeine.cache.Ticker;
import dev.tokenbroker.api.ApiException;
import dev.tokenbroker.api.AuthorizationHeader;
import dev.tokenbroker.api.ProblemCodes;
import dev.tokenbroker.cluster.ChangeNotice;
import dev.tokenbroker.jwt.JwtVerifier;
import dev.tokenbroker.ops.CacheConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.ws.rs.core.Response.Status;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinPool;
import java.util.function.Function;

/**
 * Resolves an API key to its caller. A key seen before is checked from memory (no database round
 * trip) and re-read in the background every {@code broker.caller.auth-cache-ttl}; a key id the
 * database does not have is remembered for {@code broker.caller.unknown-key-ttl}, so that a flood
 * of made-up keys costs one read per distinct key per minute at most; a re-read that fails
 * (database down) keeps the key working, up to {@code broker.cache.max-staleness}. Deletes evict at
 * once here and, through change notifications, on the other replicas.
 */
@ApplicationScoped
public class CallerAuthenticator {

  private final BootstrapAdminKey bootstrap;
  private final CallerStore store;
  private final LoadingCache<String, KnownKey> known;
  private final Cache<String, Boolean> unknown;
  private ServiceAccountAuthenticator serviceAccounts;

  @Inject
  public CallerAuthenticator(
      BootstrapAdminKey bootstrap,
      CallerStore store,
      CallerConfig config,
      CacheConfig caches,
      ServiceAccountAuthenticator serviceAccounts) {
    this(
        bootstrap,
        store,
        config,
        caches.maxStaleness(),
        Ticker.systemTicker(),
        ForkJoinPool.commonPool());
    this.serviceAccounts = serviceAccounts;
  }

  /** With the time source and the executor of background re-reads given (tests). */
  CallerAuthenticator(
      BootstrapAdminKey bootstrap,
      CallerStore store,
      CallerConfig config,
      Duration maxStaleness,
      Ticker ticker,
      Executor reloads) {
    this.bootstrap = bootstrap;
    this.store = store;
    this.known =
        Caffeine.newBuilder()
            .ticker(ticker)
            .executor(reloads)
            .maximumSize(config.authCacheSize())
            .refreshAfterWrite(config.authCacheTtl())
            .expireAfterWrite(maxStaleness)
            .build(keyId -> store.findKey(keyId).orElse(null));
    this.unknown =
        Caffeine.newBuilder()
            .ticker(ticker)
            .maximumSize(config.unknownKeyCacheSize())
            .expireAfterWrite(config.unknownKeyTtl())
            .build();
  }

  /**
   * The caller behind an {@code Authorization} header value: an API key or, where configured, a
   * Kubernetes service-account JWT; otherwise 401.
   */
  public AuthenticatedCaller authenticate(String authorizationHeader) {
    String credential = bearer(authorizationHeader);
    if (isServiceAccountJwt(credential)) {
      return serviceAccounts.authenticate(credential);
    }
    return authenticateApiKey(credential);
  }

  /** The caller of a service-account JWT (an RFC 7523 client assertion), or 401. */
  public AuthenticatedCaller authenticateServiceAccount(String jwt) {
    if (serviceAccounts == null) {
      throw invalid();
    }
    return serviceAccounts.authenticate(jwt);
  }

  /** The caller of an API key (or the bootstrap admin key), or 401. */
  public AuthenticatedCaller authenticateApiKey(String key) {
    return authenticateApiKey(key, () -> {});
  }

  /**
   * As {@link #authenticateApiKey(String)}; {@code beforeRead} runs only when the key must be read
   * from the database (it may refuse by throwing).
   */
  public AuthenticatedCaller authenticateApiKey(String key, Runnable beforeRead) {
    Function<String, KnownKey> lookup =
        keyId -> {
          KnownKey remembered = known.getIfPresent(keyId);
          if (remembered != null) {
            return remembered;
          }
          beforeRead.run();
          return read(keyId);
        };
    return apiKeyCaller(key, lookup).orElseThrow(CallerAuthenticator::invalid);
  }

  /** The key's entry from memory or the database; a key id the database lacks is remembered. */
  private KnownKey read(String keyId) {
    KnownKey entry = known.get(keyId);
    if (entry == null) {
      unknown.put(keyId, Boolean.TRUE);
    }
    return entry;
  }

  /**
   * The caller when memory alone decides it; empty when an API key must first be read from the
   * database or a JWT verified. A header that can never authenticate is 401 here already.
   */
  public Optional<AuthenticatedCaller> authenticateFromMemory(String authorizationHeader) {
    String credential = bearer(authorizationHeader);
    if (isServiceAccountJwt(credential)) {
      return Optional.empty();
    }
    return apiKeyCaller(credential, known::getIfPresent);
  }

  private boolean isServiceAccountJwt(String credential) {
    return serviceAccounts != null
        && serviceAccounts.enabled()
        && JwtVerifier.looksLikeJwt(credential);
  }

  /**
   * The caller of an API key whose entry {@code lookup} finds (null: none found), the bootstrap
   * admin key's, or 401 for a malformed key or a wrong secret.
   */
  private Optional<AuthenticatedCaller> apiKeyCaller(
      String key, Function<String, KnownKey> lookup) {
    Optional<AuthenticatedCaller> admin = bootstrap.match(key);
    if (admin.isPresent()) {
      return admin;
    }
    ApiKeys.Presented presented = ApiKeys.parse(key).orElseThrow(CallerAuthenticator::invalid);
    if (unknown.getIfPresent(presented.keyId()) != null) {
      throw invalid();
    }
    KnownKey entry = lookup.apply(presented.keyId());
    return entry == null ? Optional.empty() : Optional.of(checked(presented, entry));
  }

  private static AuthenticatedCaller checked(ApiKeys.Presented presented, KnownKey entry) {
    if (!ApiKeys.secretMatches(presented.secret(), entry.secretHash())) {
      throw invalid();
    }
    return entry.caller();
  }

  void onChange(@Observes ChangeNotice notice) {
    switch (notice.kind()) {
      case API_KEY -> forgetKey(notice.key(0));
      case CALLER -> forgetCaller(notice.key(0));
      case RESYNC -> {
        known.refreshAll(known.asMap().keySet());
        if (serviceAccounts != null) {
          serviceAccounts.refreshAll();
        }
      }
      default -> {}
    }
  }

  public void forgetKey(String keyId) {
    known.invalidate(keyId);
    unknown.invalidate(keyId);
  }

  public void forgetCaller(String callerId) {
    known.asMap().values().removeIf(k -> k.caller().id().equals(callerId));
    if (serviceAccounts != null) {
      serviceAccounts.forgetCaller(callerId);
    }
  }

  private static String bearer(String header) {
    if (header == null || header.isBlank()) {
      throw new ApiException(
          Status.UNAUTHORIZED,
          ProblemCodes.UNAUTHENTICATED,
          "Send Authorization: Bearer <api key>");
    }
    return AuthorizationHeader.credentials(header, "Bearer")
        .orElseThrow(
            () ->
                new ApiException(
                    Status.UNAUTHORIZED,
                    ProblemCodes.UNAUTHENTICATED,
                    "Use the Bearer authentication scheme"));
  }

  private static ApiException invalid() {
    return new ApiException(Status.UNAUTHORIZED, ProblemCodes.UNAUTHENTICATED, "Invalid API key");
  }

  /** What is remembered of a key: the hash of its secret and its caller. */
  public record KnownKey(byte[] secretHash, AuthenticatedCaller caller) {
    static KnownKey of(String hexHash, AuthenticatedCaller caller) {
      return new KnownKey(HexFormat.of().parseHex(hexHash), caller);
    }
  }
}
