package dev.tokenbroker.secrets;

import dev.tokenbroker.crypto.CryptoUnavailableException;
import io.quarkus.vault.client.VaultClient;
import io.quarkus.vault.client.api.secrets.kv2.VaultSecretsKV2;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jboss.logging.Logger;

/**
 * Client secrets in Vault KV v2, one secret per provider at {@code <path>/<provider_id>} with the
 * field {@code client_secret}. The provider row keeps only {@code vault-kv:<mount>/<path>}. Reads
 * are cached by the provider registry; a deleted provider's secret is destroyed with all its
 * versions (metadata delete).
 */
final class VaultKvClientSecrets implements ClientSecretStore {

  static final String REFERENCE_PREFIX = "vault-kv:";
  private static final String FIELD = "client_secret";
  private static final Duration TIMEOUT = Duration.ofSeconds(10);
  private static final Logger LOG = Logger.getLogger(VaultKvClientSecrets.class);

  private final VaultClient vault;
  private final SecretsConfig.VaultKv config;

  VaultKvClientSecrets(VaultClient vault, SecretsConfig.VaultKv config) {
    this.vault = vault;
    this.config = config;
  }

  @Override
  public String kind() {
    return "vault-kv";
  }

  @Override
  public String store(String providerId, String secret) {
    await(
        "write", kv().updateSecret(path(providerId), null, Map.<String, Object>of(FIELD, secret)));
    return REFERENCE_PREFIX + config.mount() + "/" + path(providerId);
  }

  @Override
  public String open(String providerId, String stored) {
    if (!stored.startsWith(REFERENCE_PREFIX)) {
      throw new IllegalStateException(
          "Provider "
              + providerId
              + " keeps its client secret in the database; PUT it again to move it to Vault KV");
    }
    Object value = await("read", kv().readSecret(path(providerId))).getData().get(FIELD);
    if (value == null) {
      throw new IllegalStateException("Vault KV holds no client_secret for provider " + providerId);
    }
    return value.toString();
  }

  @Override
  public void delete(String providerId, String stored) {
    if (stored != null && stored.startsWith(REFERENCE_PREFIX)) {
      await("delete", kv().deleteSecretMetadata(path(providerId)));
      LOG.infof("Destroyed the Vault KV client secret of provider %s", providerId);
    }
  }

  private VaultSecretsKV2 kv() {
    return vault.secrets().kv2(config.mount());
  }

  private String path(String providerId) {
    return config.path() + "/" + providerId;
  }

  private static <T> T await(String operation, CompletionStage<T> stage) {
    try {
      return stage.toCompletableFuture().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CryptoUnavailableException("Interrupted during Vault KV " + operation, null);
    } catch (TimeoutException e) {
      throw new CryptoUnavailableException("Vault KV " + operation + " timed out", null);
    } catch (ExecutionException e) {
      throw CryptoUnavailableException.fromVault("Vault KV " + operation, e.getCause());
    }
  }
}
