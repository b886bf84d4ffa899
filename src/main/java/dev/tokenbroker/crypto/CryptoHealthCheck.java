package dev.tokenbroker.crypto;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready only while the crypto backend can seal and open a value. */
@Readiness
@ApplicationScoped
public class CryptoHealthCheck implements HealthCheck {

  private final SecretCipher cipher;

  public CryptoHealthCheck(SecretCipher cipher) {
    this.cipher = cipher;
  }

  @Override
  public HealthCheckResponse call() {
    var response = HealthCheckResponse.named("crypto").withData("backend", cipher.backend());
    try {
      cipher.probe();
      return response.withData("active_key_version", cipher.activeKeyVersion()).up().build();
    } catch (RuntimeException e) {
      return response.withData("error", e.getClass().getSimpleName()).down().build();
    }
  }
}
