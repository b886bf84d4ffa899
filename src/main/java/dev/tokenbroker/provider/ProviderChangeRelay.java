package dev.tokenbroker.provider;

import dev.tokenbroker.cluster.ChangeNotice;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.event.Observes;

/**
 * Turns provider change notices (from any replica) into this replica's {@link ProviderChanged}, so
 * that the registry, the OIDC clients, the guards and the grant cache drop what they hold.
 */
@ApplicationScoped
public class ProviderChangeRelay {

  private final Event<ProviderChanged> changed;
  private final ProviderRegistry registry;

  public ProviderChangeRelay(Event<ProviderChanged> changed, ProviderRegistry registry) {
    this.changed = changed;
    this.registry = registry;
  }

  void onChange(@Observes ChangeNotice notice) {
    if (notice.kind() == ChangeNotice.Kind.PROVIDER) {
      changed.fire(new ProviderChanged(notice.key(0)));
    } else if (notice.kind() == ChangeNotice.Kind.RESYNC) {
      registry.revalidateAll();
    }
  }
}
