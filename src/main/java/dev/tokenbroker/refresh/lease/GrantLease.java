package dev.tokenbroker.refresh.lease;

import dev.tokenbroker.grant.GrantEntity;
import dev.tokenbroker.grant.GrantStatus;
import dev.tokenbroker.grant.TokenWrite;
import java.time.Instant;
import java.util.function.Consumer;

/**
 * The refresh lease on one grant, held by this replica (DESIGN §3.3, ADR 7). It ends exactly once:
 * by storing a result, by recording a failure, or on {@link #close()}, which releases it without a
 * result. A lease handed to {@link #detach()} outlives the block that took it (a held result).
 */
public final class GrantLease implements AutoCloseable {

  private final LeaseStore store;
  private final GrantEntity grant;
  private final String owner;
  private final boolean inheritedAttempt;
  private final Consumer<GrantLease> ended;
  private boolean outcomeUnknown;
  private boolean detached;
  private boolean over;

  GrantLease(
      LeaseStore store,
      GrantEntity grant,
      String owner,
      boolean inheritedAttempt,
      Consumer<GrantLease> ended) {
    this.store = store;
    this.grant = grant;
    this.owner = owner;
    this.inheritedAttempt = inheritedAttempt;
    this.ended = ended;
  }

  /** The grant as read right after the lease was taken. */
  public GrantEntity grant() {
    return grant;
  }

  public String grantId() {
    return grant.id;
  }

  /** When the first call that presented the current refresh token started. */
  public Instant attemptStartedAt() {
    return grant.attemptStartedAt;
  }

  /**
   * True when a call presenting the current refresh token may have been processed without its
   * answer being stored: an earlier holder died or lost the answer, or this holder's call did.
   */
  public boolean interrupted() {
    return inheritedAttempt || outcomeUnknown;
  }

  /** This holder's call timed out or lost its connection: the provider may have rotated. */
  public void outcomeUnknown() {
    outcomeUnknown = true;
  }

  /** Stores a result and ends the lease; false when the grant changed meanwhile (kept as is). */
  public boolean store(TokenWrite tokens) {
    boolean stored = store.storeRefreshed(grant.id, grant.version, tokens);
    end();
    return stored;
  }

  /**
   * Records a failure and ends the lease: {@code terminal} turns the grant to that status, {@code
   * retryAt} schedules the next proactive attempt otherwise. False when nothing was recorded
   * because another holder stored new tokens meanwhile (this lease had been taken over).
   */
  public boolean fail(String errorCode, GrantStatus terminal, Instant retryAt) {
    boolean recorded =
        store.recordFailure(
            grant.id, grant.version, owner, errorCode, terminal, retryAt, interrupted());
    end();
    return recorded;
  }

  /** Keeps the lease past {@link #close()}, for a result that is held until it can be stored. */
  public GrantLease detach() {
    detached = true;
    return this;
  }

  @Override
  public void close() {
    if (over || detached) {
      return;
    }
    try {
      store.releaseLease(grant.id, owner, interrupted());
    } finally {
      end();
    }
  }

  private void end() {
    if (!over) {
      over = true;
      ended.accept(this);
    }
  }
}
