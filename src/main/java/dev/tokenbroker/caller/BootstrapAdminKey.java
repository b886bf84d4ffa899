package dev.tokenbroker.caller;

import dev.tokenbroker.api.Ids;
import dev.tokenbroker.ops.BrokerConfig;
import dev.tokenbroker.ops.SecretFiles;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * The admin key from BROKER_ADMIN_API_KEY or, in the embedded default, generated once into {@code
 * <data dir>/admin-api-key}. Only its hash is held in memory.
 */
@Startup
@ApplicationScoped
public class BootstrapAdminKey {

  public static final int MIN_LENGTH = 32;
  public static final AuthenticatedCaller ADMIN =
      new AuthenticatedCaller(
          "bootstrap-admin", "bootstrap-admin", Role.ADMIN, java.util.List.of());

  private static final Logger LOG = Logger.getLogger(BootstrapAdminKey.class);

  private final Optional<byte[]> hash;

  public BootstrapAdminKey(BrokerConfig config) {
    Optional<String> key = config.adminApiKey().filter(k -> !k.isBlank());
    if (key.isPresent() && key.get().length() < MIN_LENGTH) {
      throw new IllegalStateException(
          "broker.admin-api-key (BROKER_ADMIN_API_KEY) must be at least "
              + MIN_LENGTH
              + " characters");
    }
    if (key.isEmpty() && config.embeddedDefaults()) {
      Path file = config.dataDir().resolve("admin-api-key");
      boolean existed = Files.exists(file);
      key = Optional.of(SecretFiles.readOrCreate(file, BootstrapAdminKey::generate));
      if (!existed) {
        LOG.warnf(
            "Generated a bootstrap admin API key into %s (mode 0600). Set BROKER_ADMIN_API_KEY"
                + " in production.",
            file.toAbsolutePath().normalize());
      }
    }
    if (key.isEmpty()) {
      LOG.warn(
          "No bootstrap admin key (BROKER_ADMIN_API_KEY): only callers stored in the database"
              + " can use the API");
    }
    this.hash = key.map(ApiKeys::sha256);
  }

  /** The bootstrap admin when the presented key is the bootstrap key; constant time. */
  public Optional<AuthenticatedCaller> match(String presented) {
    return hash.filter(h -> java.security.MessageDigest.isEqual(ApiKeys.sha256(presented), h))
        .map(h -> ADMIN);
  }

  private static String generate() {
    byte[] secret = new byte[32];
    new SecureRandom().nextBytes(secret);
    return "tbk_admin_"
        + Ids.randomBase32(4)
        + Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
  }
}
