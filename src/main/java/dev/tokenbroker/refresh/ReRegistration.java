package dev.tokenbroker.refresh;

import dev.tokenbroker.api.ApiException;
import dev.tokenbroker.ops.Sleeper;
import dev.tokenbroker.provider.DynamicRegistration;
import dev.tokenbroker.provider.ProviderRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * DESIGN §6: when a host that registered the broker itself (RFC 7591) refuses its credentials, the
 * broker registers again (an RFC 7592 update where the host offers one) and repeats the refresh
 * once. A registration the host refuses is tried once, never in a loop.
 */
@ApplicationScoped
public class ReRegistration {

  private static final Logger LOG = Logger.getLogger(ReRegistration.class);
  private static final String REASON = "the host refused the broker's credentials";

  private final ProviderRegistry providers;
  private final DynamicRegistration registration;
  private final Sleeper sleeper;

  public ReRegistration(
      ProviderRegistry providers, DynamicRegistration registration, Sleeper sleeper) {
    this.providers = providers;
    this.registration = registration;
    this.sleeper = sleeper;
  }

  /** {@code refresh}, repeated once after a registration if its host refused the credentials. */
  <T> T refusedOnce(Supplier<T> refresh) {
    try {
      return refresh.get();
    } catch (CredentialsRefused refused) {
      if (!registeredAgain(refused.providerId())) {
        throw refused;
      }
      return refresh.get();
    }
  }

  private boolean registeredAgain(String providerId) {
    boolean dynamic =
        providers
            .find(providerId)
            .map(p -> p.definition().preset().registersDynamically())
            .orElse(false);
    if (!dynamic) {
      return false;
    }
    try {
      registration.registerAgain(providerId, REASON);
      return true;
    } catch (ApiException e) {
      if (e.status() == 409) {
        // another replica or the scheduler is registering it right now: its result will do
        sleeper.sleep(Duration.ofSeconds(1));
        return true;
      }
      LOG.warnf(
          "Provider %s refused the broker's credentials and registering again failed (%s): %s",
          providerId, e.code(), e.getMessage());
      return false;
    }
  }
}
