package dev.tokenbroker.crypto;

/** The crypto backend (Vault) could not be reached or refused the call; worth retrying later. */
public class CryptoUnavailableException extends CryptoException {

  public CryptoUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
