package dev.tokenbroker.support;

import dev.tokenbroker.ops.Sleeper;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Alternative;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;

/**
 * The broker's waits as moves of its {@link SettableClock}, for a test profile that enables this
 * and {@link SettableClockProducer}: a wait of ten seconds takes none, and whatever shares the
 * clock (the simulator) sees the ten seconds pass.
 */
@Alternative
@ApplicationScoped
public class ClockSleeper extends Sleeper {

  @Inject Clock clock;

  @Override
  public void sleep(Duration duration) {
    if (duration.isNegative() || duration.isZero()) {
      return;
    }
    ((SettableClock) clock).advance(duration);
  }
}
