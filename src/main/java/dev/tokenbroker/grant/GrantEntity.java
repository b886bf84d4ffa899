package dev.tokenbroker.grant;

import dev.tokenbroker.db.Database;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Optional;

/**
 * One subject's authorization at one provider, a row of {@code oauth_grant}. Tokens are ciphertexts
 * bound to the row id; the lease columns serialize refreshes across replicas (DESIGN §3.3). Nothing
 * written to an instance goes back to the database: the stores write with SQL.
 */
public class GrantEntity {

  /** Every column, in the order of {@link #values}. */
  public static final String COLUMNS =
      "id, provider_id, subject, scopes, status, refresh_token_ct, access_token_ct,"
          + " access_token_scopes, access_token_issued_at, access_token_expires_at,"
          + " last_refreshed_at, next_refresh_at, lease_owner, lease_expires_at,"
          + " refresh_token_generation, attempt_generation, attempt_started_at, refresh_failures,"
          + " last_error_code, last_error_at, created_at, updated_at, version";

  public static final String INSERT =
      "insert into oauth_grant ("
          + COLUMNS
          + ") values (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17,"
          + " ?18, ?19, ?20, ?21, ?22, ?23)";

  public String id;
  public String providerId;
  public String subject;

  /** Granted scopes, space-delimited. */
  public String scopes;

  public GrantStatus status;
  public String refreshTokenCiphertext;
  public String accessTokenCiphertext;
  public String accessTokenScopes;
  public Instant accessTokenIssuedAt;
  public Instant accessTokenExpiresAt;
  public Instant lastRefreshedAt;
  public Instant nextRefreshAt;
  public String leaseOwner;
  public Instant leaseExpiresAt;

  /** Counts the refresh tokens this grant has held; bumped whenever a new one is stored. */
  public long refreshTokenGeneration;

  /** The generation presented by a refresh call whose outcome is not known yet. */
  public Long attemptGeneration;

  /** When that call started (the earliest, when several presented the same generation). */
  public Instant attemptStartedAt;

  public int refreshFailures;
  public String lastErrorCode;
  public Instant lastErrorAt;
  public Instant createdAt;
  public Instant updatedAt;

  /** Bumped by every write; conditional updates compare it. */
  public long version;

  /** The stored grant, if there is one. */
  public static Optional<GrantEntity> find(Database db, String id) {
    return db.first(
        "Reading grant " + id,
        "select " + COLUMNS + " from oauth_grant where id = ?1",
        GrantEntity::read,
        id);
  }

  public static GrantEntity read(ResultSet row) throws SQLException {
    GrantEntity g = new GrantEntity();
    g.id = row.getString("id");
    g.providerId = row.getString("provider_id");
    g.subject = row.getString("subject");
    g.scopes = row.getString("scopes");
    g.status = Database.enumValue(row, "status", GrantStatus.class);
    g.refreshTokenCiphertext = row.getString("refresh_token_ct");
    g.accessTokenCiphertext = row.getString("access_token_ct");
    g.accessTokenScopes = row.getString("access_token_scopes");
    g.accessTokenIssuedAt = Database.instant(row, "access_token_issued_at");
    g.accessTokenExpiresAt = Database.instant(row, "access_token_expires_at");
    g.lastRefreshedAt = Database.instant(row, "last_refreshed_at");
    g.nextRefreshAt = Database.instant(row, "next_refresh_at");
    g.leaseOwner = row.getString("lease_owner");
    g.leaseExpiresAt = Database.instant(row, "lease_expires_at");
    g.refreshTokenGeneration = row.getLong("refresh_token_generation");
    g.attemptGeneration = Database.nullableLong(row, "attempt_generation");
    g.attemptStartedAt = Database.instant(row, "attempt_started_at");
    g.refreshFailures = row.getInt("refresh_failures");
    g.lastErrorCode = row.getString("last_error_code");
    g.lastErrorAt = Database.instant(row, "last_error_at");
    g.createdAt = Database.instant(row, "created_at");
    g.updatedAt = Database.instant(row, "updated_at");
    g.version = row.getLong("version");
    return g;
  }

  /** The columns' values for {@link #INSERT}. */
  public Object[] values() {
    return new Object[] {
      id,
      providerId,
      subject,
      scopes,
      status,
      refreshTokenCiphertext,
      accessTokenCiphertext,
      accessTokenScopes,
      accessTokenIssuedAt,
      accessTokenExpiresAt,
      lastRefreshedAt,
      nextRefreshAt,
      leaseOwner,
      leaseExpiresAt,
      refreshTokenGeneration,
      attemptGeneration,
      attemptStartedAt,
      refreshFailures,
      lastErrorCode,
      lastErrorAt,
      createdAt,
      updatedAt,
      version
    };
  }
}
