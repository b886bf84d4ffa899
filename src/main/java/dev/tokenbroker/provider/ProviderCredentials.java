package dev.tokenbroker.provider;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.time.Clock;
import org.jboss.logging.Logger;

/**
 * Whether a provider accepts the broker's own credentials. A refusal ({@code invalid_client}) is a
 * configuration error: proactive refreshes of the provider's grants stop until the provider is
 * replaced (PUT) or its connection test passes, instead of sending refused credentials again.
 */
@ApplicationScoped
public class ProviderCredentials {

  private static final Logger LOG = Logger.getLogger(ProviderCredentials.class);

  private final EntityManager em;
  private final Clock clock;
  private final Event<CredentialsRejected> rejectedEvent;

  public ProviderCredentials(
      EntityManager em, Clock clock, Event<CredentialsRejected> rejectedEvent) {
    this.em = em;
    this.clock = clock;
    this.rejectedEvent = rejectedEvent;
  }

  @Transactional
  public void rejected(String providerId, String errorCode) {
    int marked =
        em.createQuery(
                "update ProviderEntity p set p.credentialsRejectedAt = :now"
                    + " where p.id = :id and p.credentialsRejectedAt is null")
            .setParameter("now", clock.instant())
            .setParameter("id", providerId)
            .executeUpdate();
    if (marked == 1) {
      LOG.errorf(
          "Provider %s refused the broker's credentials (%s): proactive refreshes of its grants"
              + " stop until the provider is replaced or its connection test passes",
          providerId, errorCode);
      rejectedEvent.fire(new CredentialsRejected(providerId));
    }
  }

  @Transactional
  public void accepted(String providerId) {
    int cleared =
        em.createQuery(
                "update ProviderEntity p set p.credentialsRejectedAt = null"
                    + " where p.id = :id and p.credentialsRejectedAt is not null")
            .setParameter("id", providerId)
            .executeUpdate();
    if (cleared == 1) {
      LOG.infof("Provider %s accepts the broker's credentials again", providerId);
    }
  }
}
