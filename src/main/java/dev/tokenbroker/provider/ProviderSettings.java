package dev.tokenbroker.provider;

/**
 * A provider as the broker uses it at run time: its definition, the version it was read at, and its
 * client secret decrypted (memory only).
 */
public record ProviderSettings(ProviderDefinition definition, long version, String clientSecret) {

  /** The subject of the single grant of a client_credentials provider. */
  public static final String CLIENT_SUBJECT = "_client";

  public String id() {
    return definition.id();
  }

  public boolean usesClientCredentials() {
    return definition.grantType() == GrantType.CLIENT_CREDENTIALS;
  }

  @Override
  public String toString() {
    return "ProviderSettings["
        + id()
        + " v"
        + version
        + ", "
        + definition.grantType()
        + ", "
        + definition.tokenUrl()
        + "]";
  }
}
