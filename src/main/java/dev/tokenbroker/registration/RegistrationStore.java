package dev.tokenbroker.registration;

import dev.tokenbroker.db.Database;
import dev.tokenbroker.ops.SqlTimes;
import dev.tokenbroker.provider.Preset;
import dev.tokenbroker.provider.ProviderEntity;
import dev.tokenbroker.provider.ProviderRequest;
import dev.tokenbroker.provider.Scopes;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Reads registrations from provider rows, and the claim that lets one replica at a time register a
 * provider again. Each call is its own short transaction: talking to the host happens between them,
 * never inside one.
 */
@ApplicationScoped
class RegistrationStore {

  /** Longer than a discovery fetch plus a registration call with their timeouts. */
  static final Duration CLAIM = Duration.ofSeconds(60);

  private final Database db;
  private final RegistrationTokens tokens;
  private final Clock clock;

  RegistrationStore(Database db, RegistrationTokens tokens, Clock clock) {
    this.db = db;
    this.tokens = tokens;
    this.clock = clock;
  }

  /** The provider's registration, if it is a registered one. */
  Optional<StoredRegistration> find(String providerId) {
    return QuarkusTransaction.requiringNew()
        .call(() -> ProviderEntity.find(db, providerId))
        .filter(p -> p.discoveryUrl != null && p.registeredAt != null)
        .map(this::toStored);
  }

  /**
   * Claims the provider for a new registration for {@link #CLAIM}; empty when it is no registered
   * provider, or another replica holds the claim.
   */
  Optional<StoredRegistration> claim(String providerId) {
    Instant now = clock.instant();
    return QuarkusTransaction.requiringNew()
        .call(
            () -> {
              int claimed =
                  db.update(
                      "Claiming the registration of provider " + providerId,
                      "update provider set registration_claimed_until = ?1"
                          + " where id = ?2 and discovery_url is not null"
                          + " and (registration_claimed_until is null"
                          + " or registration_claimed_until < ?3)",
                      now.plus(CLAIM),
                      providerId,
                      now);
              return claimed == 1
                  ? ProviderEntity.find(db, providerId)
                  : Optional.<ProviderEntity>empty();
            })
        .map(this::toStored);
  }

  void release(String providerId) {
    QuarkusTransaction.requiringNew()
        .run(
            () ->
                db.update(
                    "Releasing the registration claim of provider " + providerId,
                    "update provider set registration_claimed_until = null where id = ?1",
                    providerId));
  }

  /**
   * (provider id, registered at, secret expires at) of every registered client whose secret
   * expires.
   */
  List<Object[]> expiring() {
    List<Object[]> rows =
        QuarkusTransaction.requiringNew()
            .call(
                () ->
                    db.rows(
                        "Reading expiring registrations",
                        "select id, registered_at, client_secret_expires_at from provider"
                            + " where client_secret_expires_at is not null"
                            + " and discovery_url is not null"));
    return rows.stream()
        .map(row -> new Object[] {row[0], SqlTimes.toInstant(row[1]), SqlTimes.toInstant(row[2])})
        .toList();
  }

  private StoredRegistration toStored(ProviderEntity p) {
    ProviderRequest definition =
        new ProviderRequest(
            Preset.fromJson(p.preset),
            null,
            null,
            null,
            p.displayName,
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            Scopes.parse(p.defaultScopes),
            p.redirectUri,
            null,
            p.minTokenRequestIntervalSeconds,
            p.refreshAheadRatio,
            p.keepAliveSeconds,
            p.refreshTokenReuseGraceSeconds,
            p.maxConcurrentRefreshes,
            p.discoveryUrl,
            p.downscope,
            p.issuer,
            p.apiBaseUrl);
    RegisteredClient client =
        new RegisteredClient(
            p.clientId,
            null,
            p.clientSecretExpiresAt,
            p.registrationClientUri,
            tokens.open(p.id, p.registrationAccessTokenCiphertext));
    return new StoredRegistration(
        definition, Scopes.parse(p.scopes), p.redirectUri, p.registeredAt, client);
  }
}
