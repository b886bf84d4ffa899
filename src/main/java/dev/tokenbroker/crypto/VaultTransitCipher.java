package dev.tokenbroker.crypto;

import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.LoadingCache;
import io.quarkus.vault.VaultTransitSecretEngine;
import io.quarkus.vault.transit.ClearData;
import io.quarkus.vault.transit.DecryptionRequest;
import io.quarkus.vault.transit.EncryptionRequest;
import io.quarkus.vault.transit.RewrappingRequest;
import io.quarkus.vault.transit.TransitContext;
import io.quarkus.vault.transit.VaultTransitKeyDetail;
import io.smallrye.faulttolerance.api.Guard;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Vault Transit: a derived key ({@code derived=true}) whose {@code context} is the row binding, so
 * a ciphertext copied to another row does not decrypt. Ciphertexts are Vault's own {@code
 * vault:v<N>:...}; batches use {@code batch_input}. Vault failures become {@link
 * CryptoUnavailableException}, never carrying a value.
 */
public final class VaultTransitCipher implements SecretCipher {

  private static final String PREFIX = "vault:v";

  private final VaultTransitSecretEngine transit;
  private final String keyName;
  private final LoadingCache<String, Integer> latestVersion;

  /**
   * One more try of a call that Vault never answered and that did not time out: a pooled keep-alive
   * connection Vault closed just as the call went out. Every Transit call here but a key rotation
   * gives the same result when repeated.
   */
  private final Guard retryUnanswered =
      Guard.create()
          .withDescription("vault transit")
          .withRetry()
          .maxRetries(1)
          .delay(50, ChronoUnit.MILLIS)
          .whenException(VaultTransitCipher::unansweredWithoutTimeout)
          .done()
          .build();

  public VaultTransitCipher(VaultTransitSecretEngine transit, String keyName) {
    this.transit = transit;
    this.keyName = keyName;
    this.latestVersion =
        Caffeine.newBuilder()
            .refreshAfterWrite(Duration.ofSeconds(30))
            .expireAfterWrite(Duration.ofMinutes(10))
            .build(name -> call("read key", () -> readLatestVersion(name)));
  }

  @Override
  public String backend() {
    return "vault-transit";
  }

  @Override
  public String encrypt(String plaintext, SecretBinding binding) {
    return call("encrypt", () -> transit.encrypt(keyName, clear(plaintext), context(binding)));
  }

  @Override
  public String decrypt(String ciphertext, SecretBinding binding) {
    keyVersion(ciphertext);
    return call("decrypt", () -> transit.decrypt(keyName, ciphertext, context(binding))).asString();
  }

  @Override
  public List<String> encryptAll(List<Sealing> items) {
    if (items.isEmpty()) {
      return List.of();
    }
    List<EncryptionRequest> requests =
        items.stream()
            .map(i -> new EncryptionRequest(clear(i.text()), context(i.binding())))
            .toList();
    Map<EncryptionRequest, String> results =
        call("batch encrypt", () -> transit.encrypt(keyName, requests));
    return requests.stream().map(results::get).toList();
  }

  @Override
  public List<String> decryptAll(List<Sealing> items) {
    if (items.isEmpty()) {
      return List.of();
    }
    List<DecryptionRequest> requests =
        items.stream().map(i -> new DecryptionRequest(i.text(), context(i.binding()))).toList();
    Map<DecryptionRequest, ClearData> results =
        call("batch decrypt", () -> transit.decrypt(keyName, requests));
    return requests.stream().map(r -> results.get(r).asString()).toList();
  }

  @Override
  public String rewrap(String ciphertext, SecretBinding binding) {
    return call("rewrap", () -> transit.rewrap(keyName, ciphertext, context(binding)));
  }

  @Override
  public List<String> rewrapAll(List<Sealing> items) {
    if (items.isEmpty()) {
      return List.of();
    }
    List<RewrappingRequest> requests =
        items.stream().map(i -> new RewrappingRequest(i.text(), context(i.binding()))).toList();
    Map<RewrappingRequest, String> results =
        call("batch rewrap", () -> transit.rewrap(keyName, requests));
    return requests.stream().map(results::get).toList();
  }

  @Override
  public int keyVersion(String ciphertext) {
    return CiphertextVersion.parse(ciphertext, PREFIX, "Vault Transit");
  }

  @Override
  public int activeKeyVersion() {
    return latestVersion.get(keyName);
  }

  @Override
  public String ciphertextPrefix(int version) {
    return PREFIX + version + ":";
  }

  /** Rotates the Transit key (a new version seals from now on); old versions still decrypt. */
  @Override
  public java.util.OptionalInt rotateKey() {
    once(
        "rotate key",
        () -> {
          transit.rotateKey(keyName);
          return null;
        });
    latestVersion.invalidate(keyName);
    return java.util.OptionalInt.of(activeKeyVersion());
  }

  @Override
  public void probe() {
    latestVersion.invalidate(keyName);
    activeKeyVersion();
    SecretCipher.super.probe();
  }

  private int readLatestVersion(String name) {
    VaultTransitKeyDetail<?> key =
        transit
            .readKey(name)
            .orElseThrow(
                () -> new CryptoException("Vault Transit key " + name + " does not exist"));
    if (!key.isDerived()) {
      throw new CryptoException(
          "Vault Transit key " + name + " must be created with derived=true (row binding)");
    }
    return key.getLatestVersion();
  }

  private static ClearData clear(String plaintext) {
    return new ClearData(plaintext.getBytes(StandardCharsets.UTF_8));
  }

  private static TransitContext context(SecretBinding binding) {
    return TransitContext.fromContext(binding.bytes());
  }

  private <T> T call(String operation, Supplier<T> action) {
    return once(operation, () -> retryUnanswered.get(action, untyped()));
  }

  @SuppressWarnings("unchecked")
  private static <T> Class<T> untyped() {
    return (Class<T>) Object.class;
  }

  private static boolean unansweredWithoutTimeout(Throwable failure) {
    if (failure instanceof CryptoException
        || CryptoUnavailableException.vaultStatus(failure) != null) {
      return false;
    }
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t.getClass().getSimpleName().contains("Timeout")) {
        return false;
      }
    }
    return true;
  }

  private <T> T once(String operation, Supplier<T> action) {
    try {
      return action.get();
    } catch (CryptoException e) {
      throw e;
    } catch (RuntimeException e) {
      Integer status = CryptoUnavailableException.vaultStatus(e);
      if (status != null && status >= 400 && status < 500 && status != 403) {
        throw new CryptoException(
            "Vault Transit "
                + operation
                + " with key "
                + keyName
                + " refused (HTTP "
                + status
                + ")");
      }
      throw CryptoUnavailableException.fromVault("Vault Transit " + operation, e);
    }
  }
}
