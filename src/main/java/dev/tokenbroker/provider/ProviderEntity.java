package dev.tokenbroker.provider;

import dev.tokenbroker.db.Database;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Optional;

/** A registered upstream; the client secret is a ciphertext bound to the provider id. */
public class ProviderEntity {

  /** Every column of {@code provider}, in the order of {@link #values}. */
  public static final String COLUMNS =
      "id, preset, region, display_name, grant_type, authorization_url, token_url,"
          + " revocation_url, client_id, client_secret_ct, client_auth_method, scopes,"
          + " default_scopes, redirect_uri, pkce, downscope, issuer, api_base_url,"
          + " min_token_request_interval_seconds, refresh_ahead_ratio, base_url,"
          + " keep_alive_seconds, refresh_token_reuse_grace_seconds, max_concurrent_refreshes,"
          + " credentials_rejected_at, discovery_url, registered_at, client_secret_expires_at,"
          + " registration_client_uri, registration_access_token_ct,"
          + " registration_claimed_until, created_at, updated_at, version";

  public static final String INSERT =
      "insert into provider ("
          + COLUMNS
          + ") values (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17,"
          + " ?18, ?19, ?20, ?21, ?22, ?23, ?24, ?25, ?26, ?27, ?28, ?29, ?30, ?31, ?32, ?33, ?34)";

  public String id;
  public String preset;
  public String region;
  public String displayName;
  public GrantType grantType;
  public String authorizationUrl;
  public String tokenUrl;
  public String revocationUrl;
  public String clientId;
  public String clientSecretCiphertext;
  public ClientAuthMethod clientAuthMethod;

  /** Registered scopes, space-delimited. */
  public String scopes;

  public String defaultScopes;
  public String redirectUri;
  public PkceMethod pkce;
  public Downscope downscope;
  public String issuer;
  public String apiBaseUrl;
  public int minTokenRequestIntervalSeconds;
  public double refreshAheadRatio;
  public String baseUrl;
  public Integer keepAliveSeconds;
  public int refreshTokenReuseGraceSeconds;

  /** Refreshes each replica sends this provider at once. */
  public int maxConcurrentRefreshes;

  /** When the provider last refused the broker's credentials; null while they are accepted. */
  public Instant credentialsRejectedAt;

  /** Set for a provider the broker registered itself at (RFC 7591); null otherwise. */
  public String discoveryUrl;

  public Instant registeredAt;

  /** When the registered client secret expires; null when it does not. */
  public Instant clientSecretExpiresAt;

  public String registrationClientUri;
  public String registrationAccessTokenCiphertext;
  public Instant registrationClaimedUntil;
  public Instant createdAt;
  public Instant updatedAt;
  public long version;

  /** The stored provider as its one shape (the secret stays a ciphertext here). */
  public ProviderDefinition definition() {
    return new ProviderDefinition(
        id,
        Preset.fromJson(preset),
        region,
        baseUrl,
        displayName,
        grantType,
        authorizationUrl,
        tokenUrl,
        revocationUrl,
        clientId,
        clientAuthMethod,
        Scopes.parse(scopes),
        Scopes.parse(defaultScopes),
        redirectUri,
        pkce,
        minTokenRequestIntervalSeconds,
        refreshAheadRatio,
        keepAliveSeconds,
        refreshTokenReuseGraceSeconds,
        maxConcurrentRefreshes,
        downscope,
        issuer,
        apiBaseUrl);
  }

  /** Stores {@code def} in the columns; the id, secret and registration are not part of it. */
  void define(ProviderDefinition def) {
    preset = def.preset().toString();
    region = def.region();
    baseUrl = def.baseUrl();
    displayName = def.displayName();
    grantType = def.grantType();
    authorizationUrl = def.authorizationUrl();
    tokenUrl = def.tokenUrl();
    revocationUrl = def.revocationUrl();
    clientId = def.clientId();
    clientAuthMethod = def.clientAuthMethod();
    scopes = Scopes.join(def.scopes());
    defaultScopes = Scopes.join(def.defaultScopes());
    redirectUri = def.redirectUri();
    pkce = def.pkce();
    minTokenRequestIntervalSeconds = def.minTokenRequestIntervalSeconds();
    refreshAheadRatio = def.refreshAheadRatio();
    keepAliveSeconds = def.keepAliveSeconds();
    refreshTokenReuseGraceSeconds = def.refreshTokenReuseGraceSeconds();
    maxConcurrentRefreshes = def.maxConcurrentRefreshes();
    downscope = def.downscope();
    issuer = def.issuer();
    apiBaseUrl = def.apiBaseUrl();
  }

  /** The stored provider, if there is one. */
  public static Optional<ProviderEntity> find(Database db, String id) {
    return db.first(
        "Reading provider " + id,
        "select " + COLUMNS + " from provider where id = ?1",
        ProviderEntity::read,
        id);
  }

  public static ProviderEntity read(ResultSet row) throws SQLException {
    ProviderEntity e = new ProviderEntity();
    e.id = row.getString("id");
    e.preset = row.getString("preset");
    e.region = row.getString("region");
    e.displayName = row.getString("display_name");
    e.grantType = Database.enumValue(row, "grant_type", GrantType.class);
    e.authorizationUrl = row.getString("authorization_url");
    e.tokenUrl = row.getString("token_url");
    e.revocationUrl = row.getString("revocation_url");
    e.clientId = row.getString("client_id");
    e.clientSecretCiphertext = row.getString("client_secret_ct");
    e.clientAuthMethod = Database.enumValue(row, "client_auth_method", ClientAuthMethod.class);
    e.scopes = row.getString("scopes");
    e.defaultScopes = row.getString("default_scopes");
    e.redirectUri = row.getString("redirect_uri");
    e.pkce = Database.enumValue(row, "pkce", PkceMethod.class);
    e.downscope = Database.enumValue(row, "downscope", Downscope.class);
    e.issuer = row.getString("issuer");
    e.apiBaseUrl = row.getString("api_base_url");
    e.minTokenRequestIntervalSeconds = row.getInt("min_token_request_interval_seconds");
    e.refreshAheadRatio = row.getDouble("refresh_ahead_ratio");
    e.baseUrl = row.getString("base_url");
    e.keepAliveSeconds = Database.nullableInt(row, "keep_alive_seconds");
    e.refreshTokenReuseGraceSeconds = row.getInt("refresh_token_reuse_grace_seconds");
    e.maxConcurrentRefreshes = row.getInt("max_concurrent_refreshes");
    e.credentialsRejectedAt = Database.instant(row, "credentials_rejected_at");
    e.discoveryUrl = row.getString("discovery_url");
    e.registeredAt = Database.instant(row, "registered_at");
    e.clientSecretExpiresAt = Database.instant(row, "client_secret_expires_at");
    e.registrationClientUri = row.getString("registration_client_uri");
    e.registrationAccessTokenCiphertext = row.getString("registration_access_token_ct");
    e.registrationClaimedUntil = Database.instant(row, "registration_claimed_until");
    e.createdAt = Database.instant(row, "created_at");
    e.updatedAt = Database.instant(row, "updated_at");
    e.version = row.getLong("version");
    return e;
  }

  /** The columns' values for {@link #INSERT}. */
  public Object[] values() {
    return new Object[] {
      id,
      preset,
      region,
      displayName,
      grantType,
      authorizationUrl,
      tokenUrl,
      revocationUrl,
      clientId,
      clientSecretCiphertext,
      clientAuthMethod,
      scopes,
      defaultScopes,
      redirectUri,
      pkce,
      downscope,
      issuer,
      apiBaseUrl,
      minTokenRequestIntervalSeconds,
      refreshAheadRatio,
      baseUrl,
      keepAliveSeconds,
      refreshTokenReuseGraceSeconds,
      maxConcurrentRefreshes,
      credentialsRejectedAt,
      discoveryUrl,
      registeredAt,
      clientSecretExpiresAt,
      registrationClientUri,
      registrationAccessTokenCiphertext,
      registrationClaimedUntil,
      createdAt,
      updatedAt,
      version
    };
  }
}
