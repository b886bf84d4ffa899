package dev.tokenbroker.provider;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.tokenbroker.crypto.SecretCipher;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.time.Duration;
import java.util.Optional;

/**
 * Providers as used for token work, kept in memory so that serving a cached token needs no
 * database. A change on this replica evicts at once; other replicas reload within a minute.
 */
@ApplicationScoped
public class ProviderRegistry {

  private final EntityManager em;
  private final SecretCipher cipher;
  private final Cache<String, ProviderSettings> cache =
      Caffeine.newBuilder().maximumSize(10_000).expireAfterWrite(Duration.ofSeconds(60)).build();

  public ProviderRegistry(EntityManager em, SecretCipher cipher) {
    this.em = em;
    this.cipher = cipher;
  }

  public Optional<ProviderSettings> find(String providerId) {
    ProviderSettings cached = cache.getIfPresent(providerId);
    if (cached != null) {
      return Optional.of(cached);
    }
    Optional<ProviderSettings> loaded = load(providerId);
    loaded.ifPresent(p -> cache.put(providerId, p));
    return loaded;
  }

  @Transactional
  Optional<ProviderSettings> load(String providerId) {
    ProviderEntity p = em.find(ProviderEntity.class, providerId);
    if (p == null) {
      return Optional.empty();
    }
    String secret =
        p.clientSecretCiphertext == null
            ? null
            : cipher.decrypt(p.clientSecretCiphertext, ProviderService.clientSecretBinding(p.id));
    return Optional.of(
        new ProviderSettings(
            p.id,
            p.version,
            Preset.fromJson(p.preset),
            p.grantType,
            p.authorizationUrl,
            p.tokenUrl,
            p.baseUrl,
            p.revocationUrl,
            p.clientId,
            secret,
            p.clientAuthMethod,
            Scopes.parse(p.scopes),
            Scopes.parse(p.defaultScopes),
            p.redirectUri,
            p.pkce,
            p.minTokenRequestIntervalSeconds,
            p.refreshAheadRatio,
            p.keepAliveSeconds));
  }

  void onChange(@Observes ProviderChanged changed) {
    cache.invalidate(changed.providerId());
  }
}
