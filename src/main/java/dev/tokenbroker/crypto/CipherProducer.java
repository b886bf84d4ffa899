package dev.tokenbroker.crypto;

import dev.tokenbroker.ops.BrokerConfig;
import dev.tokenbroker.ops.SecretFiles;
import io.quarkus.runtime.Startup;
import io.quarkus.vault.VaultTransitSecretEngine;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import org.jboss.logging.Logger;

/** Chooses the crypto backend from configuration. */
public class CipherProducer {

  private static final Logger LOG = Logger.getLogger(CipherProducer.class);

  @Produces
  @Startup
  @ApplicationScoped
  SecretCipher cipher(
      CryptoConfig config, BrokerConfig broker, Instance<VaultTransitSecretEngine> transit) {
    return switch (config.provider()) {
      case "local" -> new LocalAesGcmCipher(localKeys(config.local(), broker));
      case "vault-transit" -> {
        LOG.infof("Secrets are sealed by Vault Transit key %s", config.vaultTransit().keyName());
        yield new VaultTransitCipher(transit.get(), config.vaultTransit().keyName());
      }
      default ->
          throw new IllegalStateException(
              "broker.crypto.provider="
                  + config.provider()
                  + " is not supported; use 'local' or 'vault-transit'");
    };
  }

  static LocalKeyRing localKeys(CryptoConfig.Local local, BrokerConfig broker) {
    if (local.keys().isPresent()) {
      return LocalKeyRing.parse(local.keys().get(), local.activeVersion());
    }
    Path file = local.keyFile().orElse(broker.dataDir().resolve("encryption-keys"));
    if (!Files.exists(file) && !broker.embeddedDefaults()) {
      throw new IllegalStateException(
          "No encryption key: set broker.crypto.local.keys (BROKER_CRYPTO_LOCAL_KEYS, entries"
              + " 'version:base64-of-32-bytes'), broker.crypto.local.key-file to an existing file,"
              + " or broker.crypto.provider=vault-transit");
    }
    boolean existed = Files.exists(file);
    String content = SecretFiles.readOrCreate(file, CipherProducer::newKeyEntry);
    if (!existed) {
      LOG.warnf(
          "Generated a local encryption key in %s. This is for development only: in production"
              + " use Vault Transit or keys from a secret store, and back the key up.",
          file.toAbsolutePath().normalize());
    }
    try {
      return LocalKeyRing.parse(List.of(content.split("\n")), local.activeVersion());
    } catch (IllegalArgumentException e) {
      throw new IllegalStateException("Key file " + file + ": " + e.getMessage(), e);
    }
  }

  private static String newKeyEntry() {
    byte[] key = new byte[32];
    new SecureRandom().nextBytes(key);
    return "1:" + Base64.getEncoder().encodeToString(key);
  }
}
