package dev.tokenbroker.crypto;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
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
