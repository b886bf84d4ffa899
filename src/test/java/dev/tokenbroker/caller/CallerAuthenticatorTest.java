package dev.tokenbroker.caller;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.tokenbroker.api.ApiException;
import dev.tokenbroker.ops.BrokerConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class CallerAuthenticatorTest {

  private static final String BOOTSTRAP = "bootstrap-key-that-is-long-enough-0123456789";
  private static final AuthenticatedCaller ALICE =
      new AuthenticatedCaller("clr_alice", "alice", Role.CONSUMER, List.of());

  private final Map<String, CallerAuthenticator.KnownKey> stored = new HashMap<>();
  private final AtomicInteger lookups = new AtomicInteger();
  private final AtomicLong nanos = new AtomicLong();
  private volatile boolean databaseDown;
  private final CallerStore store =
      new CallerStore(null, null) {
        @Override
        public Optional<CallerAuthenticator.KnownKey> findKey(String keyId) {
          lookups.incrementAndGet();
          if (databaseDown) {
            throw new IllegalStateException("simulated database outage");
          }
          return Optional.ofNullable(stored.get(keyId));
        }
      };
  private final CallerAuthenticator authenticator =
      new CallerAuthenticator(
          new BootstrapAdminKey(config(BOOTSTRAP)),
          store,
          cacheConfig(),
          Duration.ofHours(1),
          nanos::get,
          Runnable::run);

  private void advance(Duration duration) {
    nanos.addAndGet(duration.toNanos());
  }

  @Test
  void whenTheDatabaseIsDownAKnownKeyKeepsWorkingUpToTheStalenessLimit() {
    ApiKeys.Issued key = storeKey(ALICE);
    authenticator.authenticate("Bearer " + key.apiKey());
    databaseDown = true;
    advance(Duration.ofMinutes(6));
    assertEquals(ALICE, authenticator.authenticate("Bearer " + key.apiKey()));
    assertEquals(2, lookups.get(), "a re-read was tried and failed");
    advance(Duration.ofMinutes(50));
    assertEquals(ALICE, authenticator.authenticate("Bearer " + key.apiKey()));
    advance(Duration.ofMinutes(5));
    assertThrows(
        IllegalStateException.class,
        () -> authenticator.authenticate("Bearer " + key.apiKey()),
        "past an hour the key needs the database again");
    databaseDown = false;
    assertEquals(ALICE, authenticator.authenticate("Bearer " + key.apiKey()), "recovers");
  }

  @Test
  void aKeyDeletedElsewhereStopsWorkingAfterItsReRead() {
    ApiKeys.Issued key = storeKey(ALICE);
    authenticator.authenticate("Bearer " + key.apiKey());
    stored.remove(key.keyId());
    advance(Duration.ofMinutes(4));
    assertEquals(ALICE, authenticator.authenticate("Bearer " + key.apiKey()), "not re-read yet");
    advance(Duration.ofMinutes(2));
    authenticator.authenticate("Bearer " + key.apiKey());
    assertThrows(ApiException.class, () -> authenticator.authenticate("Bearer " + key.apiKey()));
  }

  @Test
  void anUnknownKeyIsReadOncePerMinuteHoweverOftenItIsPresented() {
    ApiKeys.Issued unknown = ApiKeys.issue();
    for (int i = 0; i < 100; i++) {
      assertEquals(
          401,
          assertThrows(
                  ApiException.class,
                  () -> authenticator.authenticate("Bearer " + unknown.apiKey()))
              .status());
      assertThrows(
          ApiException.class,
          () -> authenticator.authenticateFromMemory("Bearer " + unknown.apiKey()),
          "memory alone refuses it");
    }
    assertEquals(1, lookups.get());
    advance(Duration.ofSeconds(61));
    assertThrows(
        ApiException.class, () -> authenticator.authenticate("Bearer " + unknown.apiKey()));
    assertEquals(2, lookups.get(), "read again after a minute");
    // a key created meanwhile and announced (forgetKey) works at once
    stored.put(unknown.keyId(), CallerAuthenticator.KnownKey.of(unknown.secretSha256(), ALICE));
    authenticator.forgetKey(unknown.keyId());
    assertEquals(ALICE, authenticator.authenticate("Bearer " + unknown.apiKey()));
  }

  @Test
  void authenticateWhenKeySeenBeforeThenNoStoreLookup() {
    ApiKeys.Issued key = storeKey(ALICE);
    assertEquals(ALICE, authenticator.authenticate("Bearer " + key.apiKey()));
    assertEquals(ALICE, authenticator.authenticate("bearer  " + key.apiKey()));
    assertEquals(1, lookups.get());
  }

  @Test
  void authenticateWhenSecretWrongThenUnauthenticatedEvenIfCached() {
    ApiKeys.Issued key = storeKey(ALICE);
    authenticator.authenticate("Bearer " + key.apiKey());
    String forged = key.apiKey().substring(0, key.apiKey().length() - 2) + "AA";
    assertEquals(
        401,
        assertThrows(ApiException.class, () -> authenticator.authenticate("Bearer " + forged))
            .status());
  }

  @Test
  void authenticateWhenCallerForgottenThenLooksUpAgain() {
    ApiKeys.Issued key = storeKey(ALICE);
    authenticator.authenticate("Bearer " + key.apiKey());
    stored.remove(key.keyId());
    authenticator.forgetCaller(ALICE.id());
    assertThrows(ApiException.class, () -> authenticator.authenticate("Bearer " + key.apiKey()));
  }

  @Test
  void authenticateWhenBootstrapKeyThenAdmin() {
    assertEquals(Role.ADMIN, authenticator.authenticate("Bearer " + BOOTSTRAP).role());
    assertEquals(0, lookups.get());
  }

  @Test
  void theBearerSchemeIsCaseInsensitiveAndSeparatedByAnyRunOfSpacesOrTabs() {
    ApiKeys.Issued key = storeKey(ALICE);
    for (String header :
        new String[] {
          "BEARER " + key.apiKey(), " Bearer\t" + key.apiKey() + " ", "bEaReR \t " + key.apiKey()
        }) {
      assertEquals(ALICE, authenticator.authenticate(header), header);
    }
  }

  @Test
  void authenticateRejectsMissingOrMalformedHeaders() {
    ApiKeys.Issued key = storeKey(ALICE);
    for (String header :
        new String[] {
          null,
          "",
          "  ",
          "Basic abc",
          "Bearer",
          "Bearer \t ",
          "Bearer tbk_nope",
          "Bearerx " + key.apiKey(),
          "Beare " + key.apiKey(),
          "Bearer" + key.apiKey(),
          "Bearer\u2003" + key.apiKey()
        }) {
      ApiException e = assertThrows(ApiException.class, () -> authenticator.authenticate(header));
      assertEquals("unauthenticated", e.code());
    }
  }

  @Test
  void bootstrapKeyShorterThan32CharactersIsRefused() {
    assertThrows(IllegalStateException.class, () -> new BootstrapAdminKey(config("short")));
  }

  @Test
  void fromMemoryAKeyNotSeenYetIsLeftForADatabaseReadAndAKnownOneIsCheckedThere() {
    ApiKeys.Issued key = storeKey(ALICE);
    assertEquals(Optional.empty(), authenticator.authenticateFromMemory("Bearer " + key.apiKey()));
    assertEquals(0, lookups.get(), "memory alone never reads the database");
    authenticator.authenticate("Bearer " + key.apiKey());
    assertEquals(
        Optional.of(ALICE), authenticator.authenticateFromMemory("Bearer " + key.apiKey()));
    String last = key.apiKey().endsWith("x") ? "y" : "x";
    String wrongSecret = key.apiKey().substring(0, key.apiKey().length() - 1) + last;
    assertThrows(
        ApiException.class, () -> authenticator.authenticateFromMemory("Bearer " + wrongSecret));
    assertThrows(ApiException.class, () -> authenticator.authenticateFromMemory("Basic abc"));
    assertEquals(
        "bootstrap-admin",
        authenticator.authenticateFromMemory("Bearer " + BOOTSTRAP).orElseThrow().id());
    assertEquals(1, lookups.get());
  }

  private ApiKeys.Issued storeKey(AuthenticatedCaller caller) {
    ApiKeys.Issued key = ApiKeys.issue();
    stored.put(key.keyId(), CallerAuthenticator.KnownKey.of(key.secretSha256(), caller));
    return key;
  }

  private static CallerConfig cacheConfig() {
    return new CallerConfig() {
      @Override
      public Duration authCacheTtl() {
        return Duration.ofMinutes(5);
      }

      @Override
      public int authCacheSize() {
        return 100;
      }

      @Override
      public Duration unknownKeyTtl() {
        return Duration.ofMinutes(1);
      }

      @Override
      public int unknownKeyCacheSize() {
        return 100;
      }

      @Override
      public Jwt jwt() {
        throw new UnsupportedOperationException("no service-account JWTs in this test");
      }
    };
  }

  private static BrokerConfig config(String adminKey) {
    return new BrokerConfig() {
      @Override
      public Path dataDir() {
        return Path.of("target/unused");
      }

      @Override
      public String publicUrl() {
        return "http://localhost";
      }

      @Override
      public Optional<List<String>> allowedReturnUrls() {
        return Optional.empty();
      }

      @Override
      public boolean embeddedDefaults() {
        return false;
      }

      @Override
      public Optional<String> adminApiKey() {
        return Optional.of(adminKey);
      }
    };
  }
}
