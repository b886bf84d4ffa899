package dev.tokenbroker.refresh.lease;

import dev.tokenbroker.db.Database;
import dev.tokenbroker.grant.GrantEntity;
import dev.tokenbroker.grant.TokenWrite;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The two writes of every refresh as single statements, each its own autocommit transaction: taking
 * the lease (which returns the leased row) and storing the result. Through Hibernate and a JTA
 * transaction each, they were more than half of a refresh's CPU (BENCHMARKS.md).
 */
@ApplicationScoped
class RefreshStatements {

  /**
   * Takes the lease and records the attempt. A claim of this replica's scheduler never blocks it;
   * with {@code holderIsDead} an unexpired lease of another owner is taken too.
   */
  private static final String TAKE_LEASE =
      "update oauth_grant set lease_owner = ?1, lease_expires_at = ?2,"
          + " attempt_generation = coalesce(attempt_generation, refresh_token_generation),"
          + " attempt_started_at = coalesce(attempt_started_at, ?3)"
          + " where id = ?4 and (lease_expires_at is null or lease_expires_at < ?3"
          + " or lease_owner = ?5";

  private static final String STORE_TOKENS =
      "update oauth_grant set access_token_ct = ?1, access_token_scopes = ?2,"
          + " access_token_issued_at = ?3, access_token_expires_at = ?4, last_refreshed_at = ?3,"
          + " next_refresh_at = ?5, status = 'ACTIVE', refresh_failures = 0,"
          + " last_error_code = null, last_error_at = null, lease_owner = null,"
          + " lease_expires_at = null, attempt_generation = null, attempt_started_at = null,"
          + " updated_at = ?6, version = version + 1";

  private static final String UNCHANGED_SINCE_READ = " where id = ?7 and version = ?8";

  private static final String STORE_REFRESHED = STORE_TOKENS + UNCHANGED_SINCE_READ;

  /** A rotated refresh token starts a new generation. */
  private static final String STORE_REFRESHED_ROTATED =
      STORE_TOKENS
          + ", refresh_token_ct = ?9, refresh_token_generation = refresh_token_generation + 1"
          + UNCHANGED_SINCE_READ;

  private final Database db;
  private final String takeLease;
  private final String takeLeaseFromDeadHolder;

  RefreshStatements(
      Database db, @ConfigProperty(name = "quarkus.datasource.db-kind") String dbKind) {
    this.db = db;
    boolean postgres = dbKind.startsWith("postgres");
    this.takeLease = returningRow(TAKE_LEASE + ")", postgres);
    this.takeLeaseFromDeadHolder = returningRow(TAKE_LEASE + " or lease_owner <> ?1)", postgres);
  }

  /** PostgreSQL returns the updated row itself; H2 reads it from the statement's final table. */
  private static String returningRow(String update, boolean postgres) {
    return postgres
        ? update + " returning " + GrantEntity.COLUMNS
        : "select " + GrantEntity.COLUMNS + " from final table (" + update + ")";
  }

  /** The leased row as it is after the UPDATE; empty when another holder has the lease. */
  Optional<GrantEntity> takeLease(
      String grantId,
      String owner,
      String claimant,
      Instant until,
      Instant now,
      boolean holderIsDead) {
    return db.first(
        "Taking the refresh lease of grant " + grantId,
        holderIsDead ? takeLeaseFromDeadHolder : takeLease,
        GrantEntity::read,
        owner,
        until,
        now,
        grantId,
        claimant);
  }

  /** Stores refreshed tokens and ends the lease if the row is still at {@code expectedVersion}. */
  boolean storeRefreshed(String grantId, long expectedVersion, TokenWrite tokens, Instant now) {
    boolean rotated = tokens.refreshTokenCiphertext() != null;
    return db.update(
            "Storing refreshed tokens of grant " + grantId,
            rotated ? STORE_REFRESHED_ROTATED : STORE_REFRESHED,
            tokens.accessTokenCiphertext(),
            tokens.accessTokenScope(),
            tokens.issuedAt(),
            tokens.expiresAt(),
            tokens.nextRefreshAt(),
            now,
            grantId,
            expectedVersion,
            tokens.refreshTokenCiphertext())
        == 1;
  }
}
