package dev.tokenbroker.registration;

import dev.tokenbroker.api.ApiException;
import dev.tokenbroker.provider.CredentialsRejected;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Registers providers again by themselves: before a registered secret expires, and once when the
 * host refuses the broker's credentials ({@code invalid_client}) unless the registration is younger
 * than {@code broker.registration.min-age-for-rejection-renewal}. A failure is tried again a minute
 * later; the claim keeps two replicas from registering one provider at once.
 */
@ApplicationScoped
class RegistrationRenewal {

  private static final Logger LOG = Logger.getLogger(RegistrationRenewal.class);
  private static final Duration RETRY = Duration.ofMinutes(1);
  private static final Duration FALLBACK_DELAY = Duration.ofSeconds(5);

  private final RegistrationService service;
  private final RegistrationStore store;
  private final RegistrationSchedule schedule;
  private final RegistrationConfig config;
  private final Clock clock;

  RegistrationRenewal(
      RegistrationService service,
      RegistrationStore store,
      RegistrationSchedule schedule,
      RegistrationConfig config,
      Clock clock) {
    this.service = service;
    this.store = store;
    this.schedule = schedule;
    this.config = config;
    this.clock = clock;
  }

  void onStart(@Observes StartupEvent start) {
    reload();
  }

  @Scheduled(
      every = "${broker.registration.reload-every:1m}",
      delayed = "${broker.registration.reload-every:1m}",
      concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
  void reload() {
    try {
      schedule.replaceAll(store.expiring());
    } catch (RuntimeException e) {
      LOG.debugf("Registration expiries not re-read: %s", e.getMessage());
    }
  }

  /**
   * A fallback: the request that met the refusal registers again at once (refresh.ReRegistration).
   */
  void onRefused(@Observes CredentialsRejected rejected) {
    schedule.refused(rejected.providerId(), clock.instant().plus(FALLBACK_DELAY));
  }

  @Scheduled(every = "1s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
  void renewDue() {
    for (RegistrationSchedule.Due due : schedule.due(clock.instant())) {
      if (due.refused() && !oldEnoughToRenewOnRefusal(due.providerId())) {
        continue;
      }
      try {
        service.registerAgain(due.providerId(), due.reason());
      } catch (ApiException e) {
        if (e.status() == 404 || e.status() == 400) {
          schedule.forget(due.providerId());
        } else {
          schedule.postpone(due.providerId(), clock.instant().plus(RETRY));
        }
      } catch (RuntimeException e) {
        LOG.warnf("Registering provider %s again failed: %s", due.providerId(), e.toString());
        schedule.postpone(due.providerId(), clock.instant().plus(RETRY));
      }
    }
  }

  private boolean oldEnoughToRenewOnRefusal(String providerId) {
    Optional<StoredRegistration> stored;
    try {
      stored = store.find(providerId);
    } catch (RuntimeException e) {
      schedule.refused(providerId, clock.instant());
      return false;
    }
    if (stored.isEmpty()) {
      return false;
    }
    Instant youngest = clock.instant().minus(config.minAgeForRejectionRenewal());
    if (stored.get().registeredAt().isAfter(youngest)) {
      LOG.warnf(
          "Provider %s refuses credentials registered at %s: not registering again so soon;"
              + " check the host, then POST /v1/providers/%s/registration",
          providerId, stored.get().registeredAt(), providerId);
      return false;
    }
    return true;
  }
}
