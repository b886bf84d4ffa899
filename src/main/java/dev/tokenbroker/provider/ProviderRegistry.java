package dev.tokenbroker.provider;

import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.LoadingCache;
import dev.tokenbroker.api.ApiException;
import dev.tokenbroker.api.ProblemCodes;
import dev.tokenbroker.db.Database;
import dev.tokenbroker.ops.CacheConfig;
import dev.tokenbroker.secrets.ClientSecretStore;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.Optional;

/**
 * Providers as used for token work, kept in memory so that serving a cached token needs no database
 * and no Vault. A change on any replica evicts at once everywhere (change notices); entries are
 * also re-read every {@code broker.cache.revalidate-every}, and a re-read that fails (database or
 * Vault down) keeps the entry it would have replaced, up to {@code broker.cache.max-staleness}.
 */
@ApplicationScoped
public class ProviderRegistry {

  private final Database db;
  private final ClientSecretStore secrets;
  private final LoadingCache<String, ProviderSettings> cache;

  public ProviderRegistry(Database db, ClientSecretStore secrets, CacheConfig config) {
    this.db = db;
    this.secrets = secrets;
    this.cache =
        Caffeine.newBuilder()
            .maximumSize(10_000)
            .refreshAfterWrite(config.revalidateEvery())
            .expireAfterWrite(config.maxStaleness())
            .build(this::loadOrNull);
  }

  /** Re-reads every cached provider in the background (after change notices may have been lost). */
  void revalidateAll() {
    cache.refreshAll(cache.asMap().keySet());
  }

  public Optional<ProviderSettings> find(String providerId) {
    return Optional.ofNullable(cache.get(providerId));
  }

  /** The provider if it is in memory now; empty says nothing about the database. */
  public Optional<ProviderSettings> findCached(String providerId) {
    return Optional.ofNullable(cache.getIfPresent(providerId));
  }

  /** The provider, or 404 {@code provider_not_found}. */
  public ProviderSettings require(String providerId) {
    return find(providerId)
        .orElseThrow(
            () ->
                ApiException.notFound(
                    ProblemCodes.PROVIDER_NOT_FOUND, "No provider " + providerId));
  }

  private ProviderSettings loadOrNull(String providerId) {
    return QuarkusTransaction.requiringNew().call(() -> load(providerId)).orElse(null);
  }

  Optional<ProviderSettings> load(String providerId) {
    ProviderEntity p = ProviderEntity.find(db, providerId).orElse(null);
    if (p == null) {
      return Optional.empty();
    }
    String secret =
        p.clientSecretCiphertext == null ? null : secrets.open(p.id, p.clientSecretCiphertext);
    return Optional.of(new ProviderSettings(p.definition(), p.version, secret));
  }

  void onChange(@Observes ProviderChanged changed) {
    cache.invalidate(changed.providerId());
  }
}
