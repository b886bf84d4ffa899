package dev.tokenbroker.grant;

import com.github.benmanes.caffeine.cache.CacheLoader;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.LoadingCache;
import dev.tokenbroker.cluster.ChangeNotice;
import dev.tokenbroker.ops.CacheConfig;
import dev.tokenbroker.provider.ProviderChanged;
import dev.tokenbroker.provider.Scopes;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Grants with their decrypted access tokens, by provider and subject: the hot path of {@code POST
 * /v1/tokens} reads only this. Entries are replaced on every write this replica makes, evicted by
 * every replica's change notices, and re-read in the background when used ({@code
 * broker.cache.revalidate-every}); an unchanged grant is re-read without decrypting anything, and a
 * re-read that fails (database down) keeps the entry up to {@code broker.cache.max-staleness}.
 */
@ApplicationScoped
public class GrantCache {

  // Caffeine node, record header and references, list header, two Instants
  private static final int ENTRY_OVERHEAD = 96 + 56 + 24 + 2 * 24;
  private static final int REFERENCE = 8;

  private final GrantStore store;
  private final GrantSecrets secrets;
  private final LoadingCache<String, GrantSnapshot> bySubject;

  public GrantCache(GrantStore store, GrantSecrets secrets, CacheConfig config) {
    this.store = store;
    this.secrets = secrets;
    this.bySubject =
        Caffeine.newBuilder()
            .maximumWeight(config.grantCacheMemory().asLongValue())
            .weigher((String key, GrantSnapshot grant) -> footprint(key, grant))
            .refreshAfterWrite(config.revalidateEvery())
            .expireAfterWrite(config.maxStaleness())
            .build(new Revalidating());
  }

  /**
   * The cached grant, or the one {@code loader} finds; concurrent misses for the same grant share
   * one load (a cold cache under a burst would otherwise query once per caller).
   */
  public Optional<GrantSnapshot> get(
      String providerId, String subject, Supplier<Optional<GrantSnapshot>> loader) {
    return Optional.ofNullable(
        bySubject.get(key(providerId, subject), k -> loader.get().orElse(null)));
  }

  /** The grant if it is in memory now; empty says nothing about the database. */
  public Optional<GrantSnapshot> findCached(String providerId, String subject) {
    return Optional.ofNullable(bySubject.getIfPresent(key(providerId, subject)));
  }

  public void put(GrantSnapshot grant) {
    bySubject.put(key(grant.providerId(), grant.subject()), grant);
  }

  public void evict(String providerId, String subject) {
    bySubject.invalidate(key(providerId, subject));
  }

  void onProviderChanged(@Observes ProviderChanged changed) {
    evictProvider(changed.providerId());
  }

  void onChange(@Observes ChangeNotice notice) {
    switch (notice.kind()) {
      case GRANT -> evict(notice.key(0), notice.key(1));
      case PROVIDER -> evictProvider(notice.key(0));
      case RESYNC -> bySubject.refreshAll(bySubject.asMap().keySet());
      default -> {}
    }
  }

  public void evictProvider(String providerId) {
    bySubject.asMap().keySet().removeIf(k -> k.startsWith(providerId + "\n"));
  }

  /**
   * Estimated heap bytes of a cached grant: the entry, its key, strings (Latin-1, as ids and tokens
   * are), scopes and instants. An estimate, not a measurement; it errs on the large side.
   */
  static int footprint(String key, GrantSnapshot grant) {
    int bytes = ENTRY_OVERHEAD + text(key) + text(grant.id()) + text(grant.providerId());
    bytes += text(grant.subject()) + text(grant.accessToken()) + text(grant.accessTokenScope());
    for (String scope : grant.scopes()) {
      bytes += REFERENCE + text(scope);
    }
    return bytes;
  }

  private static int text(String value) {
    return value == null ? 0 : 24 + 16 + value.length();
  }

  private static String key(String providerId, String subject) {
    return providerId + "\n" + subject;
  }

  /** Loads a grant by its key; a re-read keeps the entry when nothing served from it changed. */
  private final class Revalidating implements CacheLoader<String, GrantSnapshot> {

    @Override
    public GrantSnapshot load(String key) {
      String[] parts = key.split("\n", 2);
      return store.findBySubject(parts[0], parts[1]).map(secrets::snapshot).orElse(null);
    }

    @Override
    public GrantSnapshot reload(String key, GrantSnapshot cached) {
      String[] parts = key.split("\n", 2);
      Optional<GrantStore.ServingState> state = store.servingState(parts[0], parts[1]);
      if (state.isEmpty()) {
        return null;
      }
      GrantStore.ServingState now = state.get();
      boolean unchanged =
          cached.id().equals(now.id())
              && cached.status() == now.status()
              && Objects.equals(cached.accessTokenIssuedAt(), now.accessTokenIssuedAt())
              && Objects.equals(cached.accessTokenExpiresAt(), now.accessTokenExpiresAt())
              && cached.scopes().equals(Scopes.parse(now.scopes()));
      return unchanged ? cached : load(key);
    }
  }
}
