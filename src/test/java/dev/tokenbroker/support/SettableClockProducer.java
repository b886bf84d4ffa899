package dev.tokenbroker.support;

import jakarta.enterprise.inject.Alternative;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * The broker's clock as a {@link SettableClock}, for a test profile that names this class among its
 * enabled alternatives; the test injects {@code Clock} and moves it. Other profiles keep the system
 * clock.
 */
@Alternative
@Singleton
public class SettableClockProducer {

  @Produces
  @Alternative
  @Singleton
  Clock settableClock() {
    // whole milliseconds: what the database keeps of a time is then the time itself
    return new SettableClock(Instant.now().truncatedTo(ChronoUnit.MILLIS));
  }
}
