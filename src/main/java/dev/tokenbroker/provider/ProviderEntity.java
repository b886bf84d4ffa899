package dev.tokenbroker.provider;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import java.time.Instant;

/** A registered upstream; the client secret is a ciphertext bound to the provider id. */
@Entity
@Table(name = "provider")
public class ProviderEntity {
  @Id public String id;
  public String preset;
  public String region;

  @Column(name = "display_name")
  public String displayName;

  @Enumerated(EnumType.STRING)
  @Column(name = "grant_type")
  public GrantType grantType;

  @Column(name = "authorization_url")
  public String authorizationUrl;

  @Column(name = "token_url")
  public String tokenUrl;

  @Column(name = "revocation_url")
  public String revocationUrl;

  @Column(name = "client_id")
  public String clientId;

  @Column(name = "client_secret_ct")
  public String clientSecretCiphertext;

  @Enumerated(EnumType.STRING)
  @Column(name = "client_auth_method")
  public ClientAuthMethod clientAuthMethod;

  /** Registered scopes, space-delimited. */
  public String scopes;

  @Column(name = "default_scopes")
  public String defaultScopes;

  @Column(name = "redirect_uri")
  public String redirectUri;

  @Enumerated(EnumType.STRING)
  public PkceMethod pkce;

  @Enumerated(EnumType.STRING)
  public Downscope downscope;

  public String issuer;

  @Column(name = "api_base_url")
  public String apiBaseUrl;

  @Column(name = "min_token_request_interval_seconds")
  public int minTokenRequestIntervalSeconds;

  @Column(name = "refresh_ahead_ratio")
  public double refreshAheadRatio;

  @Column(name = "base_url")
  public String baseUrl;

  @Column(name = "keep_alive_seconds")
  public Integer keepAliveSeconds;

  @Column(name = "refresh_token_reuse_grace_seconds")
  public int refreshTokenReuseGraceSeconds;

  /** Refreshes each replica sends this provider at once. */
  @Column(name = "max_concurrent_refreshes")
  public int maxConcurrentRefreshes;

  /** When the provider last refused the broker's credentials; null while they are accepted. */
  @Column(name = "credentials_rejected_at")
  public Instant credentialsRejectedAt;

  /** Set for a provider the broker registered itself at (RFC 7591); null otherwise. */
  @Column(name = "discovery_url")
  public String discoveryUrl;

  @Column(name = "registered_at")
  public Instant registeredAt;

  /** When the registered client secret expires; null when it does not. */
  @Column(name = "client_secret_expires_at")
  public Instant clientSecretExpiresAt;

  @Column(name = "registration_client_uri")
  public String registrationClientUri;

  @Column(name = "registration_access_token_ct")
  public String registrationAccessTokenCiphertext;

  @Column(name = "registration_claimed_until")
  public Instant registrationClaimedUntil;

  @Column(name = "created_at")
  public Instant createdAt;

  @Column(name = "updated_at")
  public Instant updatedAt;

  @Version public long version;

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
}
