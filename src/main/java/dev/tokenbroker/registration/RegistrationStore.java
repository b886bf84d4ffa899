package dev.tokenbroker.registration;

import dev.tokenbroker.ops.SqlTimes;
import dev.tokenbroker.provider.Preset;
import dev.tokenbroker.provider.ProviderEntity;
import dev.tokenbroker.provider.ProviderRequest;
import dev.tokenbroker.provider.Scopes;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
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

  private final EntityManager em;
  private final RegistrationTokens tokens;
  private final Clock clock;

  RegistrationStore(EntityManager em, RegistrationTokens tokens, Clock clock) {
    this.em = em;
    this.tokens = tokens;
    this.clock = clock;
  }

  /** The provider's registration, if it is a registered one. */
  Optional<StoredRegistration> find(String providerId) {
    return QuarkusTransaction.requiringNew()
        .call(() -> Optional.ofNullable(em.find(ProviderEntity.class, providerId)))
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
                  em.createQuery(
                          "update ProviderEntity p set p.registrationClaimedUntil = :until"
                              + " where p.id = :id and p.discoveryUrl is not null"
                              + " and (p.registrationClaimedUntil is null"
                              + " or p.registrationClaimedUntil < :now)")
                      .setParameter("until", now.plus(CLAIM))
                      .setParameter("now", now)
                      .setParameter("id", providerId)
                      .executeUpdate();
              return claimed == 1
                  ? Optional.of(em.find(ProviderEntity.class, providerId))
                  : Optional.<ProviderEntity>empty();
            })
        .map(this::toStored);
  }

  void release(String providerId) {
    QuarkusTransaction.requiringNew()
        .run(
            () ->
                em.createQuery(
                        "update ProviderEntity p set p.registrationClaimedUntil = null"
                            + " where p.id = :id")
                    .setParameter("id", providerId)
                    .executeUpdate());
  }

  /** Every registered provider whose secret expires: id, registered at, expires at. */
  /**
   * (provider id, registered at, secret expires at) of every registered client whose secret
   * expires. Native SQL: this runs before the broker is ready, where a first HQL parse costs the
   * start about a second (issue 31).
   */
  @SuppressWarnings("unchecked")
  List<Object[]> expiring() {
    List<Object[]> rows =
        QuarkusTransaction.requiringNew()
            .call(
                () ->
                    em.createNativeQuery(
                            "select id, registered_at, client_secret_expires_at from provider"
                                + " where client_secret_expires_at is not null"
                                + " and discovery_url is not null")
                        .getResultList());
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
