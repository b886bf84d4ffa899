package dev.tokenbroker.support;

import jakarta.enterprise.inject.Alternative;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The broker's clock as a {@link SettableClock} in every test profile (the test profile's {@code
 * quarkus.arc.selected-alternatives}): running with the system clock, so that a test moves it ahead
 * instead of waiting for a token to age. A profile that sets {@code test.clock.frozen=true} and
 * enables this class gets a clock that moves only when its tests move it.
 */
@Alternative
@Singleton
public class SettableClockProducer {

  @ConfigProperty(name = "test.clock.frozen", defaultValue = "false")
  boolean frozen;

  @Produces
  @Alternative
  @Singleton
  Clock settableClock() {
    // whole milliseconds: what the database keeps of a time is then the time itself
    return frozen
        ? new SettableClock(Instant.now().truncatedTo(ChronoUnit.MILLIS))
        : SettableClock.running();
  }
}
