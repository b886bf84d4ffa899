package dev.tokenbroker.secrets;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Where client secrets are kept (DESIGN §2: database, or Vault KV v2 in production). */
@ConfigMapping(prefix = "broker.secrets")
public interface SecretsConfig {

  /** {@code database} (encrypted in the provider row) or {@code vault-kv}. */
  @WithDefault("database")
  String store();

  VaultKv vaultKv();

  /** Vault KV v2, through the Quarkus Vault extension ({@code quarkus.vault.*}). */
  interface VaultKv {

    /** Mount path of the KV v2 engine. */
    @WithDefault("secret")
    String mount();

    /** Path under the mount; each provider's secret is {@code <path>/<provider_id>}. */
    @WithDefault("token-broker/providers")
    String path();
  }
}
