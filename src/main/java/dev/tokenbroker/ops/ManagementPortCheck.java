package dev.tokenbroker.ops;

import io.quarkus.runtime.LaunchMode;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Refuses to start when the management interface is given the API's port. Vert.x would share the
 * one listening socket between both routers, so that about half the API requests would meet the
 * management interface (a 404) and half the health probes the API, with nothing in the log.
 */
@ApplicationScoped
public class ManagementPortCheck {

  void check(
      @Observes StartupEvent started,
      @ConfigProperty(name = "quarkus.http.port", defaultValue = "8080") int apiPort,
      @ConfigProperty(name = "quarkus.management.port", defaultValue = "9000") int managementPort) {
    if (LaunchMode.current() != LaunchMode.TEST) {
      refuseShared(apiPort, managementPort);
    }
  }

  static void refuseShared(int apiPort, int managementPort) {
    if (apiPort != 0 && apiPort == managementPort) {
      throw new IllegalStateException(
          "quarkus.management.port (QUARKUS_MANAGEMENT_PORT) and quarkus.http.port"
              + " (QUARKUS_HTTP_PORT) are both "
              + apiPort
              + ": give the management interface a port of its own");
    }
  }
}
