package dev.tokenbroker.provider;

import dev.tokenbroker.db.Database;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
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

  private final Database db;
  private final Clock clock;
  private final Event<CredentialsRejected> rejectedEvent;

  public ProviderCredentials(Database db, Clock clock, Event<CredentialsRejected> rejectedEvent) {
    this.db = db;
    this.clock = clock;
    this.rejectedEvent = rejectedEvent;
  }

  @Transactional
  public void rejected(String providerId, String errorCode) {
    int marked =
        db.update(
            "Marking the credentials of provider " + providerId + " refused",
            "update provider set credentials_rejected_at = ?1"
                + " where id = ?2 and credentials_rejected_at is null",
            clock.instant(),
            providerId);
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
        db.update(
            "Marking the credentials of provider " + providerId + " accepted",
            "update provider set credentials_rejected_at = null"
                + " where id = ?1 and credentials_rejected_at is not null",
            providerId);
    if (cleared == 1) {
      LOG.infof("Provider %s accepts the broker's credentials again", providerId);
    }
  }
}
