package dev.tokenbroker.caller;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.tokenbroker.api.ApiException;
import dev.tokenbroker.api.ProblemCodes;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.Response.Status;
import java.util.HexFormat;
import java.util.Optional;

/**
 * Resolves an API key to its caller. A key seen before is checked from memory (no database round
 * trip); deletes evict at once here and within the cache TTL on other replicas.
 */
@ApplicationScoped
public class CallerAuthenticator {

  private final BootstrapAdminKey bootstrap;
  private final CallerStore store;
  private final Cache<String, KnownKey> known;

  public CallerAuthenticator(BootstrapAdminKey bootstrap, CallerStore store, CallerConfig config) {
    this.bootstrap = bootstrap;
    this.store = store;
    this.known =
        Caffeine.newBuilder()
            .maximumSize(config.authCacheSize())
            .expireAfterWrite(config.authCacheTtl())
            .build();
  }

  /** The caller behind an {@code Authorization} header value, or 401. */
  public AuthenticatedCaller authenticate(String authorizationHeader) {
    String key = bearer(authorizationHeader);
    Optional<AuthenticatedCaller> admin = bootstrap.match(key);
    if (admin.isPresent()) {
      return admin.get();
    }
    ApiKeys.Presented presented = ApiKeys.parse(key).orElseThrow(CallerAuthenticator::invalid);
    KnownKey entry = known.getIfPresent(presented.keyId());
    if (entry == null) {
      entry = store.findKey(presented.keyId()).orElseThrow(CallerAuthenticator::invalid);
      known.put(presented.keyId(), entry);
    }
    if (!ApiKeys.secretMatches(presented.secret(), entry.secretHash())) {
      throw invalid();
    }
    return entry.caller();
  }

  public void forgetKey(String keyId) {
    known.invalidate(keyId);
  }

  public void forgetCaller(String callerId) {
    known.asMap().values().removeIf(k -> k.caller().id().equals(callerId));
  }

  private static String bearer(String header) {
    if (header == null || header.isBlank()) {
      throw new ApiException(
          Status.UNAUTHORIZED,
          ProblemCodes.UNAUTHENTICATED,
          "Send Authorization: Bearer <api key>");
    }
    String[] parts = header.strip().split("\\s+", 2);
    if (parts.length != 2 || !parts[0].equalsIgnoreCase("Bearer")) {
      throw new ApiException(
          Status.UNAUTHORIZED,
          ProblemCodes.UNAUTHENTICATED,
          "Use the Bearer authentication scheme");
    }
    return parts[1];
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
