package dev.tokenbroker.refresh;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready once the proactive refresher has looked for due grants: a restarted replica does not count
 * as ready while the grants it should take over wait for its first scan.
 */
@Readiness
@ApplicationScoped
public class SchedulerReadiness implements HealthCheck {

  private final ProactiveRefresher refresher;

  public SchedulerReadiness(ProactiveRefresher refresher) {
    this.refresher = refresher;
  }

  @Override
  public HealthCheckResponse call() {
    return HealthCheckResponse.named("refresh-scheduler").status(refresher.scanned()).build();
  }
}
