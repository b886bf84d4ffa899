package dev.tokenbroker.support;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * A clock that a test moves forward: frozen at a start (it moves only when moved) or running with
 * the system clock, ahead of it by what the test has added.
 */
public final class SettableClock extends Clock {

  private final Clock base;
  private volatile Duration ahead = Duration.ZERO;

  /** Frozen at {@code start}. */
  public SettableClock(Instant start) {
    this(Clock.fixed(start, ZoneOffset.UTC));
  }

  private SettableClock(Clock base) {
    this.base = base;
  }

  /** Running with the system clock until a test moves it ahead. */
  public static SettableClock running() {
    return new SettableClock(Clock.systemUTC());
  }

  public synchronized void advance(Duration by) {
    ahead = ahead.plus(by);
  }

  /**
   * Takes back every move: a test that moved the broker's clock ends with this, so that the next
   * test's times agree with those of the systems around it (simulators, issuers, badge hosts).
   */
  public synchronized void rewind() {
    ahead = Duration.ZERO;
  }

  @Override
  public Instant instant() {
    return base.instant().plus(ahead);
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    throw new UnsupportedOperationException("UTC only");
  }
}
