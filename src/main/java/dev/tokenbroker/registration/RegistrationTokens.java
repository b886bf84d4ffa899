package dev.tokenbroker.registration;

import dev.tokenbroker.crypto.SecretBinding;
import dev.tokenbroker.crypto.SecretCipher;
import jakarta.enterprise.context.ApplicationScoped;

/** Seals the RFC 7592 registration access token into its provider row, bound to it. */
@ApplicationScoped
class RegistrationTokens {

  private final SecretCipher cipher;

  RegistrationTokens(SecretCipher cipher) {
    this.cipher = cipher;
  }

  static SecretBinding binding(String providerId) {
    return SecretBinding.of("provider", providerId, "registration_access_token");
  }

  String seal(String providerId, String token) {
    return token == null ? null : cipher.encrypt(token, binding(providerId));
  }

  String open(String providerId, String ciphertext) {
    return ciphertext == null ? null : cipher.decrypt(ciphertext, binding(providerId));
  }
}
