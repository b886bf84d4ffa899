package dev.tokenbroker.grant;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.tokenbroker.provider.ProviderChanged;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Grants with their decrypted access tokens, by provider and subject: the hot path of {@code POST
 * /v1/tokens} reads only this. Entries are replaced on every write this replica makes.
 */
@ApplicationScoped
public class GrantCache {

  private final Cache<String, GrantSnapshot> bySubject =
      Caffeine.newBuilder().maximumSize(200_000).build();

  /**
   * The cached grant, or the one {@code loader} finds; concurrent misses for the same grant share
   * one load (a cold cache under a burst would otherwise query once per caller).
   */
  public Optional<GrantSnapshot> get(
      String providerId, String subject, Supplier<Optional<GrantSnapshot>> loader) {
    return Optional.ofNullable(
        bySubject.get(key(providerId, subject), k -> loader.get().orElse(null)));
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

  public void evictProvider(String providerId) {
    bySubject.asMap().keySet().removeIf(k -> k.startsWith(providerId + "\n"));
  }

  private static String key(String providerId, String subject) {
    return providerId + "\n" + subject;
  }
}
