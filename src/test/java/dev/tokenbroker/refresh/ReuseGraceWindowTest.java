package dev.tokenbroker.refresh;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class ReuseGraceWindowTest {

  private static final Instant PRESENTED = Instant.parse("2026-12-02T10:00:00Z");

  @Test
  void openOnlyInsideTheProvidersWindowCountedFromTheFirstPresentation() {
    assertTrue(ReuseGraceWindow.open(PRESENTED, 30, PRESENTED));
    assertTrue(ReuseGraceWindow.open(PRESENTED, 30, PRESENTED.plusSeconds(29)));
    assertFalse(ReuseGraceWindow.open(PRESENTED, 30, PRESENTED.plusSeconds(30)));
    assertFalse(ReuseGraceWindow.open(PRESENTED, 30, PRESENTED.plusSeconds(3600)));
  }

  @Test
  void neverOpenWithoutAGraceOrAnAttempt() {
    assertFalse(ReuseGraceWindow.open(PRESENTED, 0, PRESENTED));
    assertFalse(ReuseGraceWindow.open(null, 30, PRESENTED));
  }
}
