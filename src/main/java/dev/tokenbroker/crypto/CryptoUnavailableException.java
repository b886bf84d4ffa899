package dev.tokenbroker.crypto;

import io.quarkus.vault.client.VaultClientException;

/** The crypto backend (Vault) could not be reached or refused the call; worth retrying later. */
public class CryptoUnavailableException extends CryptoException {

  public CryptoUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }

  /**
   * Vault failed at {@code what}; the message names the HTTP status Vault answered, or the type of
   * the failure when there was no answer, never a value.
   */
  public static CryptoUnavailableException fromVault(String what, Throwable failure) {
    Integer status = vaultStatus(failure);
    return new CryptoUnavailableException(
        what
            + " failed ("
            + (status == null ? failure.getClass().getSimpleName() : "HTTP " + status)
            + ")",
        null);
  }

  /** The HTTP status of the Vault answer behind a failure, or null when Vault did not answer. */
  public static Integer vaultStatus(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof VaultClientException client) {
        return client.getStatus();
      }
    }
    return null;
  }
}
