package dev.tokenbroker.ops;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** Service-wide settings: where the broker lives and what it may generate for itself. */
@ConfigMapping(prefix = "broker")
public interface BrokerConfig {

  /** Directory for the embedded H2 database and generated key files. */
  @WithDefault("./data")
  Path dataDir();

  /** Base URL under which browsers reach this broker; the default redirect URI derives from it. */
  String publicUrl();

  /** Return URL prefixes that authorizations may send browsers back to. */
  Optional<List<String>> allowedReturnUrls();

  /**
   * When true (dev, test) the broker generates a local encryption key and an admin API key in the
   * data dir on first start. The prod profile turns this off.
   */
  @WithDefault("false")
  boolean embeddedDefaults();

  /** Bootstrap admin key (environment BROKER_ADMIN_API_KEY), at least 32 characters. */
  Optional<String> adminApiKey();
}
