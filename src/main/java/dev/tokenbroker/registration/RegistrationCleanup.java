package dev.tokenbroker.registration;

import dev.tokenbroker.provider.ProviderRemoved;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import org.jboss.logging.Logger;

/** Deletes the host's registration (RFC 7592) once the deletion of its provider has committed. */
@ApplicationScoped
class RegistrationCleanup {

  private static final Logger LOG = Logger.getLogger(RegistrationCleanup.class);

  private final ClientRegistrar registrar;
  private final RegistrationTokens tokens;
  private final RegistrationSchedule schedule;

  RegistrationCleanup(
      ClientRegistrar registrar, RegistrationTokens tokens, RegistrationSchedule schedule) {
    this.registrar = registrar;
    this.tokens = tokens;
    this.schedule = schedule;
  }

  void onRemoved(@Observes(during = TransactionPhase.AFTER_SUCCESS) ProviderRemoved removed) {
    schedule.forget(removed.providerId());
    if (removed.registrationClientUri() == null) {
      return;
    }
    String token;
    try {
      token = tokens.open(removed.providerId(), removed.registrationAccessTokenCiphertext());
    } catch (RuntimeException e) {
      LOG.warnf(
          "The registration of deleted provider %s stays at the host: its access token could not"
              + " be opened (%s)",
          removed.providerId(), e.getMessage());
      return;
    }
    registrar.delete(removed.registrationClientUri(), token, "provider " + removed.providerId());
  }
}
