package dev.tokenbroker.registration;

import dev.tokenbroker.crypto.SealedColumn;
import dev.tokenbroker.crypto.SealedColumns;
import dev.tokenbroker.crypto.SecretBinding;
import dev.tokenbroker.crypto.SecretCipher;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;

/** Seals the RFC 7592 registration access token into its provider row, bound to it. */
@ApplicationScoped
class RegistrationTokens implements SealedColumns {

  private static final SealedColumn TOKEN =
      new SealedColumn(
          "provider",
          "id",
          "registration_access_token_ct",
          "provider",
          "registration_access_token");

  private final SecretCipher cipher;

  RegistrationTokens(SecretCipher cipher) {
    this.cipher = cipher;
  }

  static SecretBinding binding(String providerId) {
    return TOKEN.binding(providerId);
  }

  @Override
  public List<SealedColumn> sealedColumns() {
    return List.of(TOKEN);
  }

  String seal(String providerId, String token) {
    return token == null ? null : cipher.encrypt(token, binding(providerId));
  }

  String open(String providerId, String ciphertext) {
    return ciphertext == null ? null : cipher.decrypt(ciphertext, binding(providerId));
  }
}
