package dev.tokenbroker.crypto;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/** Which backend seals secrets, and the local key ring. */
@ConfigMapping(prefix = "broker.crypto")
public interface CryptoConfig {

  /** {@code local} (AES-256-GCM with keys from config or a file) or {@code vault-transit}. */
  @WithDefault("local")
  String provider();

  Local local();

  VaultTransit vaultTransit();

  Rewrap rewrap();

  /** Vault Transit, through the Quarkus Vault extension ({@code quarkus.vault.*}). */
  interface VaultTransit {

    /** A key created with {@code derived=true}; see deploy/vault/setup.sh. */
    @WithDefault("token-broker")
    String keyName();
  }

  /** Re-wrapping stored ciphertexts to the active key version. */
  interface Rewrap {

    /** How often each replica looks for ciphertexts on older key versions. */
    @WithDefault("1h")
    Duration interval();

    /** Ciphertexts re-wrapped per database round trip (and per Vault batch call). */
    @WithDefault("200")
    int batchSize();
  }

  /** Local AES-256-GCM keys. */
  interface Local {

    /** Keys as {@code version:base64-of-32-bytes}, e.g. from a Kubernetes Secret. */
    Optional<List<String>> keys();

    /** A file with one {@code version:base64} key per line; generated in embedded mode. */
    Optional<Path> keyFile();

    /** The version that seals new values; the highest version when absent. */
    OptionalInt activeVersion();
  }
}
