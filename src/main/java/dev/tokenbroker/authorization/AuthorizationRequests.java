package dev.tokenbroker.authorization;

import dev.tokenbroker.api.ApiException;
import dev.tokenbroker.api.ProblemCodes;
import dev.tokenbroker.db.Database;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.core.Response.Status;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;

/**
 * The started authorizations: single-use states, and the tokens that wait for the app's
 * confirmation. States and confirmation codes are stored only as SHA-256 hashes; each is claimed
 * once, atomically, so that two replicas never settle the same flow twice.
 */
@ApplicationScoped
public class AuthorizationRequests {

  private final Database db;
  private final Clock clock;

  public AuthorizationRequests(Database db, Clock clock) {
    this.db = db;
    this.clock = clock;
  }

  @Transactional
  void save(AuthorizationRequestEntity request) {
    db.update(
        "Storing an authorization request", AuthorizationRequestEntity.INSERT, request.values());
  }

  /** Marks the state used, atomically; unknown, used or expired state is 400 invalid_state. */
  @Transactional
  AuthorizationRequestEntity consume(String state) {
    if (state == null || state.isBlank() || state.length() > 512) {
      throw invalidState();
    }
    String stateHash = hash(state);
    Instant now = clock.instant();
    int claimed =
        db.update(
            "Using an authorization state",
            "update authorization_request set used_at = ?1"
                + " where state_sha256 = ?2 and used_at is null and expires_at > ?1",
            now,
            stateHash);
    if (claimed != 1) {
      throw invalidState();
    }
    return find("state_sha256", stateHash);
  }

  /**
   * Keeps the sealed tokens of a completed flow until {@code until}, under the hash of its
   * confirmation code, for the grant {@code grantId} they will go to once confirmed.
   */
  @Transactional
  void holdForConfirmation(
      String stateHash,
      String grantId,
      String confirmationHash,
      PendingTokens.Sealed tokens,
      Instant until) {
    db.update(
        "Keeping tokens for confirmation",
        "update authorization_request set grant_id = ?2, confirmation_sha256 = ?3,"
            + " pending_access_token_ct = ?4, pending_refresh_token_ct = ?5, pending_scope = ?6,"
            + " pending_issued_at = ?7, pending_expires_at = ?8, expires_at = ?9"
            + " where state_sha256 = ?1",
        stateHash,
        grantId,
        confirmationHash,
        tokens.accessToken(),
        tokens.refreshToken(),
        tokens.scope(),
        tokens.issuedAt(),
        tokens.expiresAt(),
        until);
  }

  /**
   * Settles the waiting flow of {@code confirmationHash} if {@code callerId} started it and it has
   * not expired; null otherwise. Runs in the caller's transaction, which stores or discards it.
   */
  @Transactional(Transactional.TxType.MANDATORY)
  AuthorizationRequestEntity claimConfirmation(String confirmationHash, String callerId) {
    Instant now = clock.instant();
    int claimed =
        db.update(
            "Settling a confirmation",
            "update authorization_request set settled_at = ?1"
                + " where confirmation_sha256 = ?2 and caller_id = ?3"
                + " and settled_at is null and expires_at > ?1",
            now,
            confirmationHash,
            callerId);
    return claimed == 1 ? find("confirmation_sha256", confirmationHash) : null;
  }

  /** The states of flows whose confirmation time ran out unconfirmed, oldest first. */
  @Transactional
  List<String> expiredUnconfirmed(int limit) {
    return db.list(
        "Finding unconfirmed authorizations",
        "select state_sha256 from authorization_request"
            + " where confirmation_sha256 is not null and settled_at is null"
            + " and expires_at <= ?1 order by expires_at limit ?2",
        row -> row.getString(1),
        clock.instant(),
        limit);
  }

  /** Settles one expired, unconfirmed flow; null if another replica or a confirmation did. */
  @Transactional(Transactional.TxType.MANDATORY)
  AuthorizationRequestEntity claimExpired(String stateHash) {
    Instant now = clock.instant();
    int claimed =
        db.update(
            "Settling an expired confirmation",
            "update authorization_request set settled_at = ?1"
                + " where state_sha256 = ?2 and confirmation_sha256 is not null"
                + " and settled_at is null and expires_at <= ?1",
            now,
            stateHash);
    return claimed == 1 ? find("state_sha256", stateHash) : null;
  }

  /** Forgets the waiting tokens of a settled flow, in the transaction that settled it. */
  @Transactional(Transactional.TxType.MANDATORY)
  void clearPending(AuthorizationRequestEntity request) {
    db.update(
        "Forgetting the tokens of a settled authorization",
        "update authorization_request set pending_access_token_ct = null,"
            + " pending_refresh_token_ct = null where state_sha256 = ?1",
        request.stateSha256);
    request.pendingAccessTokenCiphertext = null;
    request.pendingRefreshTokenCiphertext = null;
  }

  /** Deletes flows an hour past their expiry; a flow still waiting is left to be discarded. */
  @Scheduled(
      every = "10m",
      delayed = "1m",
      concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
  @Transactional
  void purgeExpired() {
    db.update(
        "Deleting expired authorizations",
        "delete from authorization_request where expires_at < ?1"
            + " and (confirmation_sha256 is null or settled_at is not null)",
        clock.instant().minus(Duration.ofHours(1)));
  }

  /** The request whose {@code column} (a hash, unique) is {@code hash}. */
  private AuthorizationRequestEntity find(String column, String hash) {
    return db.first(
            "Reading an authorization request",
            "select "
                + AuthorizationRequestEntity.COLUMNS
                + " from authorization_request where "
                + column
                + " = ?1",
            AuthorizationRequestEntity::read,
            hash)
        .orElseThrow();
  }

  static String hash(String secret) {
    return HexFormat.of().formatHex(Pkce.sha256(secret));
  }

  private static ApiException invalidState() {
    return new ApiException(
        Status.BAD_REQUEST,
        ProblemCodes.INVALID_STATE,
        "Unknown, used or expired authorization state; start the authorization again");
  }
}
