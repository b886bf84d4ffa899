package dev.tokenbroker.ops;

import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;

/** The one way the broker waits; tests replace it so that waiting code runs without real time. */
@ApplicationScoped
public class Sleeper {

  /** Waits; an interrupt ends the wait early and stays set on the thread. */
  public void sleep(Duration duration) {
    if (duration.isNegative() || duration.isZero()) {
      return;
    }
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while waiting", e);
    }
  }
}
