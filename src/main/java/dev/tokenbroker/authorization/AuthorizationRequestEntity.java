package dev.tokenbroker.authorization;

import dev.tokenbroker.db.Database;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;

/**
 * A started authorization; the state itself is never stored, only its SHA-256. After a callback
 * with a return URL it also holds the sealed tokens that wait for the app's confirmation.
 */
public class AuthorizationRequestEntity {

  /** Every column of {@code authorization_request}, in the order of {@link #values}. */
  public static final String COLUMNS =
      "state_sha256, provider_id, subject, scopes, return_url, code_verifier_ct,"
          + " caller_id, created_at, expires_at, used_at, confirmation_sha256, grant_id,"
          + " pending_access_token_ct, pending_refresh_token_ct, pending_scope,"
          + " pending_issued_at, pending_expires_at, settled_at";

  public static final String INSERT =
      "insert into authorization_request ("
          + COLUMNS
          + ") values (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18)";

  public String stateSha256;
  public String providerId;
  public String subject;
  public String scopes;
  public String returnUrl;
  public String codeVerifierCiphertext;
  public String callerId;
  public Instant createdAt;
  public Instant expiresAt;
  public Instant usedAt;
  public String confirmationSha256;

  /** The grant the confirmed tokens go to: the subject's existing grant or a reserved new id. */
  public String grantId;

  public String pendingAccessTokenCiphertext;
  public String pendingRefreshTokenCiphertext;
  public String pendingScope;
  public Instant pendingIssuedAt;
  public Instant pendingExpiresAt;
  public Instant settledAt;

  public static AuthorizationRequestEntity read(ResultSet row) throws SQLException {
    AuthorizationRequestEntity e = new AuthorizationRequestEntity();
    e.stateSha256 = row.getString("state_sha256");
    e.providerId = row.getString("provider_id");
    e.subject = row.getString("subject");
    e.scopes = row.getString("scopes");
    e.returnUrl = row.getString("return_url");
    e.codeVerifierCiphertext = row.getString("code_verifier_ct");
    e.callerId = row.getString("caller_id");
    e.createdAt = Database.instant(row, "created_at");
    e.expiresAt = Database.instant(row, "expires_at");
    e.usedAt = Database.instant(row, "used_at");
    e.confirmationSha256 = row.getString("confirmation_sha256");
    e.grantId = row.getString("grant_id");
    e.pendingAccessTokenCiphertext = row.getString("pending_access_token_ct");
    e.pendingRefreshTokenCiphertext = row.getString("pending_refresh_token_ct");
    e.pendingScope = row.getString("pending_scope");
    e.pendingIssuedAt = Database.instant(row, "pending_issued_at");
    e.pendingExpiresAt = Database.instant(row, "pending_expires_at");
    e.settledAt = Database.instant(row, "settled_at");
    return e;
  }

  /** The columns' values for {@link #INSERT}. */
  public Object[] values() {
    return new Object[] {
      stateSha256,
      providerId,
      subject,
      scopes,
      returnUrl,
      codeVerifierCiphertext,
      callerId,
      createdAt,
      expiresAt,
      usedAt,
      confirmationSha256,
      grantId,
      pendingAccessTokenCiphertext,
      pendingRefreshTokenCiphertext,
      pendingScope,
      pendingIssuedAt,
      pendingExpiresAt,
      settledAt
    };
  }
}
