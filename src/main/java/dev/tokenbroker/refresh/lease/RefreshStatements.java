package dev.tokenbroker.refresh.lease;

import dev.tokenbroker.db.DatabaseException;
import dev.tokenbroker.grant.GrantEntity;
import dev.tokenbroker.grant.TokenWrite;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Optional;
import javax.sql.DataSource;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The two writes of every refresh as single JDBC statements, each its own autocommit transaction:
 * taking the lease (which returns the leased row) and storing the result. Through Hibernate and a
 * JTA transaction each, they were more than half of a refresh's CPU (BENCHMARKS.md).
 */
@ApplicationScoped
class RefreshStatements {

  /**
   * Takes the lease and records the attempt. A claim of this replica's scheduler never blocks it;
   * with {@code holderIsDead} an unexpired lease of another owner is taken too.
   */
  private static final String TAKE_LEASE =
      "update oauth_grant set lease_owner = ?, lease_expires_at = ?,"
          + " attempt_generation = coalesce(attempt_generation, refresh_token_generation),"
          + " attempt_started_at = coalesce(attempt_started_at, ?)"
          + " where id = ? and (lease_expires_at is null or lease_expires_at < ?"
          + " or lease_owner = ?";

  private static final String STORE_TOKENS =
      "update oauth_grant set access_token_ct = ?, access_token_scopes = ?,"
          + " access_token_issued_at = ?, access_token_expires_at = ?, last_refreshed_at = ?,"
          + " next_refresh_at = ?, status = 'ACTIVE', refresh_failures = 0,"
          + " last_error_code = null, last_error_at = null, lease_owner = null,"
          + " lease_expires_at = null, attempt_generation = null, attempt_started_at = null,"
          + " updated_at = ?, version = version + 1";

  private static final String UNCHANGED_SINCE_READ = " where id = ? and version = ?";

  private static final String STORE_REFRESHED = STORE_TOKENS + UNCHANGED_SINCE_READ;

  /** A rotated refresh token starts a new generation. */
  private static final String STORE_REFRESHED_ROTATED =
      STORE_TOKENS
          + ", refresh_token_ct = ?, refresh_token_generation = refresh_token_generation + 1"
          + UNCHANGED_SINCE_READ;

  private final DataSource dataSource;
  private final String takeLease;
  private final String takeLeaseFromDeadHolder;

  RefreshStatements(
      DataSource dataSource, @ConfigProperty(name = "quarkus.datasource.db-kind") String dbKind) {
    this.dataSource = dataSource;
    boolean postgres = dbKind.startsWith("postgres");
    this.takeLease = returningRow(TAKE_LEASE + ")", postgres);
    this.takeLeaseFromDeadHolder = returningRow(TAKE_LEASE + " or lease_owner <> ?)", postgres);
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
    try (Connection connection = dataSource.getConnection();
        PreparedStatement statement =
            connection.prepareStatement(holderIsDead ? takeLeaseFromDeadHolder : takeLease)) {
      statement.setString(1, owner);
      timestamp(statement, 2, until);
      timestamp(statement, 3, now);
      statement.setString(4, grantId);
      timestamp(statement, 5, now);
      statement.setString(6, claimant);
      if (holderIsDead) {
        statement.setString(7, owner);
      }
      try (ResultSet row = statement.executeQuery()) {
        return row.next() ? Optional.of(GrantEntity.read(row)) : Optional.empty();
      }
    } catch (SQLException e) {
      throw new DatabaseException("Taking the refresh lease of grant " + grantId + " failed", e);
    }
  }

  /** Stores refreshed tokens and ends the lease if the row is still at {@code expectedVersion}. */
  boolean storeRefreshed(String grantId, long expectedVersion, TokenWrite tokens, Instant now) {
    boolean rotated = tokens.refreshTokenCiphertext() != null;
    try (Connection connection = dataSource.getConnection();
        PreparedStatement statement =
            connection.prepareStatement(rotated ? STORE_REFRESHED_ROTATED : STORE_REFRESHED)) {
      int i = 1;
      statement.setString(i++, tokens.accessTokenCiphertext());
      statement.setString(i++, tokens.accessTokenScope());
      timestamp(statement, i++, tokens.issuedAt());
      timestamp(statement, i++, tokens.expiresAt());
      timestamp(statement, i++, tokens.issuedAt());
      timestamp(statement, i++, tokens.nextRefreshAt());
      timestamp(statement, i++, now);
      if (rotated) {
        statement.setString(i++, tokens.refreshTokenCiphertext());
      }
      statement.setString(i++, grantId);
      statement.setLong(i, expectedVersion);
      return statement.executeUpdate() == 1;
    } catch (SQLException e) {
      throw new DatabaseException("Storing refreshed tokens of grant " + grantId + " failed", e);
    }
  }

  private static void timestamp(PreparedStatement statement, int index, Instant value)
      throws SQLException {
    if (value == null) {
      statement.setNull(index, Types.TIMESTAMP_WITH_TIMEZONE);
    } else {
      statement.setObject(index, OffsetDateTime.ofInstant(value, ZoneOffset.UTC));
    }
  }
}
