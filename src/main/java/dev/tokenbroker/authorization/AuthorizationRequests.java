package dev.tokenbroker.authorization;

import dev.tokenbroker.api.ApiException;
import dev.tokenbroker.api.ProblemCodes;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
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

  private final EntityManager em;
  private final Clock clock;

  public AuthorizationRequests(EntityManager em, Clock clock) {
    this.em = em;
    this.clock = clock;
  }

  @Transactional
  void save(AuthorizationRequestEntity request) {
    em.persist(request);
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
        em.createQuery(
                "update AuthorizationRequestEntity r set r.usedAt = :now"
                    + " where r.stateSha256 = :hash and r.usedAt is null and r.expiresAt > :now")
            .setParameter("now", now)
            .setParameter("hash", stateHash)
            .executeUpdate();
    if (claimed != 1) {
      throw invalidState();
    }
    return em.find(AuthorizationRequestEntity.class, stateHash);
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
    AuthorizationRequestEntity request = em.find(AuthorizationRequestEntity.class, stateHash);
    request.grantId = grantId;
    request.confirmationSha256 = confirmationHash;
    request.pendingAccessTokenCiphertext = tokens.accessToken();
    request.pendingRefreshTokenCiphertext = tokens.refreshToken();
    request.pendingScope = tokens.scope();
    request.pendingIssuedAt = tokens.issuedAt();
    request.pendingExpiresAt = tokens.expiresAt();
    request.expiresAt = until;
  }

  /**
   * Settles the waiting flow of {@code confirmationHash} if {@code callerId} started it and it has
   * not expired; null otherwise. Runs in the caller's transaction, which stores or discards it.
   */
  @Transactional(Transactional.TxType.MANDATORY)
  AuthorizationRequestEntity claimConfirmation(String confirmationHash, String callerId) {
    Instant now = clock.instant();
    int claimed =
        em.createQuery(
                "update AuthorizationRequestEntity r set r.settledAt = :now"
                    + " where r.confirmationSha256 = :hash and r.callerId = :caller"
                    + " and r.settledAt is null and r.expiresAt > :now")
            .setParameter("now", now)
            .setParameter("hash", confirmationHash)
            .setParameter("caller", callerId)
            .executeUpdate();
    return claimed == 1 ? findByConfirmation(confirmationHash) : null;
  }

  /** The states of flows whose confirmation time ran out unconfirmed, oldest first. */
  @Transactional
  List<String> expiredUnconfirmed(int limit) {
    return em.createQuery(
            "select r.stateSha256 from AuthorizationRequestEntity r"
                + " where r.confirmationSha256 is not null and r.settledAt is null"
                + " and r.expiresAt <= :now order by r.expiresAt",
            String.class)
        .setParameter("now", clock.instant())
        .setMaxResults(limit)
        .getResultList();
  }

  /** Settles one expired, unconfirmed flow; null if another replica or a confirmation did. */
  @Transactional(Transactional.TxType.MANDATORY)
  AuthorizationRequestEntity claimExpired(String stateHash) {
    Instant now = clock.instant();
    int claimed =
        em.createQuery(
                "update AuthorizationRequestEntity r set r.settledAt = :now"
                    + " where r.stateSha256 = :hash and r.confirmationSha256 is not null"
                    + " and r.settledAt is null and r.expiresAt <= :now")
            .setParameter("now", now)
            .setParameter("hash", stateHash)
            .executeUpdate();
    if (claimed != 1) {
      return null;
    }
    AuthorizationRequestEntity request = em.find(AuthorizationRequestEntity.class, stateHash);
    em.refresh(request);
    return request;
  }

  /** Forgets the waiting tokens of a settled flow, in the transaction that settled it. */
  static void clearPending(AuthorizationRequestEntity request) {
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
    em.createQuery(
            "delete from AuthorizationRequestEntity r where r.expiresAt < :cutoff"
                + " and (r.confirmationSha256 is null or r.settledAt is not null)")
        .setParameter("cutoff", clock.instant().minus(Duration.ofHours(1)))
        .executeUpdate();
  }

  private AuthorizationRequestEntity findByConfirmation(String confirmationHash) {
    AuthorizationRequestEntity request =
        em.createQuery(
                "select r from AuthorizationRequestEntity r where r.confirmationSha256 = :hash",
                AuthorizationRequestEntity.class)
            .setParameter("hash", confirmationHash)
            .getSingleResult();
    em.refresh(request);
    return request;
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
