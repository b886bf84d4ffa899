package dev.tokenbroker.refresh;

import java.time.Instant;

/**
 * The time during which a provider still accepts a rotated-away refresh token ({@code
 * refresh_token_reuse_grace_seconds}), counted from the first call that presented it: the provider
 * cannot have rotated it earlier.
 */
final class ReuseGraceWindow {

  private ReuseGraceWindow() {}

  /** Whether presenting the token again at {@code now} is still safe. */
  static boolean open(Instant firstPresentedAt, int graceSeconds, Instant now) {
    return graceSeconds > 0
        && firstPresentedAt != null
        && now.isBefore(firstPresentedAt.plusSeconds(graceSeconds));
  }
}
