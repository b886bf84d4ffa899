package dev.tokenbroker.ops;

import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/**
 * How the in-memory caches of providers, grants and API keys stay correct across replicas and
 * through database outages (DESIGN §3.7): changes are announced at once (LISTEN/NOTIFY), and every
 * entry is re-read in the background as a safety net; a re-read that fails keeps the entry.
 */
@ConfigMapping(prefix = "broker.cache")
public interface CacheConfig {

  /** How often a cached provider or grant is re-read in the background when it is used. */
  @WithDefault("30s")
  Duration revalidateEvery();

  /**
   * How long an entry keeps serving while it cannot be re-read (database down); past this it needs
   * the database again.
   */
  @WithDefault("1h")
  Duration maxStaleness();

  /**
   * Heap the grant cache may take, by the estimated footprint of each grant (its ids, scopes and
   * access token); beyond it the least used grants are evicted and read again when asked for.
   */
  @WithDefault("64M")
  MemorySize grantCacheMemory();
}
