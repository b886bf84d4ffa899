package dev.tokenbroker.crypto;

import static dev.tokenbroker.support.Api.admin;
import static dev.tokenbroker.support.Api.as;
import static dev.tokenbroker.support.Api.unique;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.tokenbroker.db.Database;
import dev.tokenbroker.simulator.InjectSimulator;
import dev.tokenbroker.simulator.ProviderSimulator;
import dev.tokenbroker.support.Api;
import dev.tokenbroker.support.Flows;
import dev.tokenbroker.vault.InjectVault;
import dev.tokenbroker.vault.VaultApiServer;
import dev.tokenbroker.vault.VaultProfile;
import dev.tokenbroker.vault.VaultResource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Vault Transit seals every secret column with the row as context, Vault KV v2 keeps client secrets
 * (the database only a reference), key rotation re-wraps everything, and cached tokens keep being
 * served while Vault is down. Against the Vault-API test server over HTTP.
 */
@QuarkusTest
@TestProfile(VaultProfile.class)
class VaultTransitAndKvTest {

  @InjectSimulator ProviderSimulator sim;
  @InjectVault VaultApiServer vault;
  @Inject SecretCipher cipher;
  @Inject Database db;

  @BeforeEach
  void reset() {
    assumeTrue(vault != null, "inspects the Vault test server; skipped against a real Vault");
    sim.reset();
    vault.down(false);
  }

  @AfterEach
  void up() {
    if (vault != null) {
      vault.down(false);
    }
  }

  @Test
  void clientSecretsLiveInKvAndTheDatabaseKeepsOnlyAReference() {
    String provider = unique("kv");
    Flows.registerCodeProvider(provider, sim, Map.of());
    String path = "token-broker/providers/" + provider;
    assertEquals(Map.of("client_secret", sim.clientSecret()), vault.kvSecret("secret", path));
    String stored = column("select client_secret_ct from provider where id = ?1", provider);
    assertEquals("vault-kv:secret/" + path, stored);
    admin().get("/v1/providers/" + provider).then().body("client_secret_set", equalTo(true));

    Map<String, Object> replace = Api.genericProvider();
    replace.put("client_secret", "rotated-client-secret-value");
    admin().body(replace).put("/v1/providers/" + provider).then().statusCode(200);
    assertEquals(2, vault.kvVersions("secret", path));
    assertEquals(
        "rotated-client-secret-value", vault.kvSecret("secret", path).get("client_secret"));

    admin().delete("/v1/providers/" + provider).then().statusCode(204);
    assertNull(vault.kvSecret("secret", path), "the secret is destroyed with the provider");
  }

  @Test
  void tokensAreSealedByTransitBoundToTheirRow() {
    String provider = unique("transit");
    Flows.registerCodeProvider(provider, sim, Map.of());
    String grantId = Flows.authorizedGrant(provider, "vault-user");
    String refresh = column("select refresh_token_ct from oauth_grant where id = ?1", grantId);
    assertTrue(refresh.startsWith("vault:v1:"), refresh);
    for (String secret : sim.issuedSecrets()) {
      assertFalse(refresh.contains(secret));
    }

    int encrypts = vault.calls("transit/encrypt");
    admin().post("/v1/grants/" + grantId + "/refresh").then().statusCode(200);
    assertEquals(encrypts + 1, vault.calls("transit/encrypt"), "both tokens in one batch call");

    SecretBinding row = SecretBinding.of("oauth_grant", grantId, "refresh_token");
    SecretBinding otherRow = SecretBinding.of("oauth_grant", "grt_other", "refresh_token");
    String sealed = cipher.encrypt("a-refresh-token", row);
    assertEquals("a-refresh-token", cipher.decrypt(sealed, row));
    assertThrows(CryptoException.class, () -> cipher.decrypt(sealed, otherRow));
  }

  @Test
  void aRefreshOpensOnlyTheRefreshTokenOnceAndSealsTheNewPairInOneCall() {
    String provider = unique("opens");
    Flows.registerCodeProvider(provider, sim, Map.of());
    String grantId = Flows.authorizedGrant(provider, "opened-once");
    int decrypts = vault.calls("transit/decrypt");
    int encrypts = vault.calls("transit/encrypt");

    admin().post("/v1/grants/" + grantId + "/refresh").then().statusCode(200);

    // the stored access token is not opened to decide on a refresh that replaces it
    assertEquals(decrypts + 1, vault.calls("transit/decrypt"), "Transit decrypt calls");
    assertEquals(encrypts + 1, vault.calls("transit/encrypt"), "Transit encrypt calls");
    assertEquals(1, sim.tokenCalls("refresh_token"));
  }

  @Test
  void manyValuesAreSealedInOneBatchCall() {
    List<SecretCipher.Sealing> items = new ArrayList<>();
    for (int i = 0; i < 25; i++) {
      items.add(new SecretCipher.Sealing("value-" + i, SecretBinding.of("t", "row-" + i, "c")));
    }
    int before = vault.calls("transit/encrypt");
    List<String> sealed = cipher.encryptAll(items);
    assertEquals(before + 1, vault.calls("transit/encrypt"));
    List<SecretCipher.Sealing> back = new ArrayList<>();
    for (int i = 0; i < 25; i++) {
      back.add(new SecretCipher.Sealing(sealed.get(i), items.get(i).binding()));
    }
    int decrypts = vault.calls("transit/decrypt");
    List<String> opened = cipher.decryptAll(back);
    assertEquals(decrypts + 1, vault.calls("transit/decrypt"));
    for (int i = 0; i < 25; i++) {
      assertEquals("value-" + i, opened.get(i));
    }
  }

  @Test
  void keyRotationRewrapsEveryCiphertextAndTokensKeepWorking() {
    String provider = unique("rotate");
    Flows.registerCodeProvider(provider, sim, Map.of());
    List<String> grants = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      grants.add(Flows.authorizedGrant(provider, "rot-" + i));
    }
    int version = cipher.activeKeyVersion();
    vault.rotateTransitKey(VaultResource.TRANSIT_KEY);
    dev.tokenbroker.support.Api.management()
        .get("/q/health/ready")
        .then()
        .statusCode(200); // the probe re-reads the key

    admin()
        .get("/v1/admin/crypto")
        .then()
        .statusCode(200)
        .body("backend", equalTo("vault-transit"))
        .body("active_key_version", equalTo(version + 1))
        .body("ciphertexts_on_old_keys", greaterThanOrEqualTo(6));
    int rewraps = vault.calls("transit/rewrap");
    admin()
        .body("{}")
        .post("/v1/admin/crypto/rewrap")
        .then()
        .statusCode(200)
        .body("rewrapped", greaterThanOrEqualTo(6))
        .body("failed", equalTo(0))
        .body("remaining", equalTo(0));
    assertTrue(vault.calls("transit/rewrap") > rewraps, "Transit rewrap was used");
    for (String grantId : grants) {
      String refresh = column("select refresh_token_ct from oauth_grant where id = ?1", grantId);
      assertTrue(refresh.startsWith("vault:v" + (version + 1) + ":"), refresh);
      admin().post("/v1/grants/" + grantId + "/refresh").then().statusCode(200);
    }
    String metrics =
        dev.tokenbroker.support.Api.management().get("/q/metrics").then().extract().asString();
    assertTrue(metrics.contains("broker_crypto_ciphertexts_old_key 0.0"), "old-key gauge");

    int rotations = vault.calls("transit/rotate");
    admin()
        .body(Map.of("rotate_key", true))
        .post("/v1/admin/crypto/rewrap")
        .then()
        .statusCode(200)
        .body("active_key_version", equalTo(version + 2))
        .body("remaining", equalTo(0));
    assertEquals(rotations + 1, vault.calls("transit/rotate"));
  }

  @Test
  void whileVaultIsDownCachedTokensAreServedAndReadinessSaysWhy() {
    String provider = unique("down");
    Flows.registerCodeProvider(provider, sim, Map.of());
    String consumer = Api.consumer(unique("svc"), provider, List.of("*"));
    String grantId = Flows.authorizedGrant(provider, "down-user");
    String token =
        as(consumer)
            .body(Map.of("provider_id", provider, "subject", "down-user"))
            .post("/v1/tokens")
            .then()
            .statusCode(200)
            .extract()
            .path("access_token");

    vault.down(true);
    as(consumer)
        .body(Map.of("provider_id", provider, "subject", "down-user"))
        .post("/v1/tokens")
        .then()
        .statusCode(200)
        .body("access_token", equalTo(token));
    dev.tokenbroker.support.Api.management()
        .get("/q/health/ready")
        .then()
        .statusCode(503)
        .body("checks.find { it.name == 'crypto' }.status", equalTo("DOWN"))
        .body("checks.find { it.name == 'crypto' }.data.backend", equalTo("vault-transit"));
    admin()
        .post("/v1/grants/" + grantId + "/refresh")
        .then()
        .statusCode(503)
        .header("Retry-After", "5")
        .body("code", equalTo("crypto_unavailable"));
    assertEquals(0, sim.reuseDetections());

    vault.down(false);
    dev.tokenbroker.support.Api.management().get("/q/health/ready").then().statusCode(200);
    admin().post("/v1/grants/" + grantId + "/refresh").then().statusCode(200);
    assertEquals(0, sim.reuseDetections(), "no refresh token was reused");
    assertTrue(vault.unknownPaths().isEmpty(), "unexpected Vault calls: " + vault.unknownPaths());
  }

  @Test
  void aTransitCallDroppedWithoutAnAnswerIsRepeatedOnceThenReportedUnavailable() {
    String provider = unique("dropped");
    Flows.registerCodeProvider(provider, sim, Map.of());
    String grantId = Flows.authorizedGrant(provider, "drop-user");

    int dropped = vault.calls("dropped");
    vault.dropNextTransitCalls(1);
    admin().post("/v1/grants/" + grantId + "/refresh").then().statusCode(200);
    assertEquals(dropped + 1, vault.calls("dropped"), "the first call was dropped");
    assertEquals(1, sim.tokenCalls("refresh_token"));

    vault.dropNextTransitCalls(2);
    admin()
        .post("/v1/grants/" + grantId + "/refresh")
        .then()
        .statusCode(503)
        .body("code", equalTo("crypto_unavailable"));
    assertEquals(dropped + 3, vault.calls("dropped"), "one repetition, not more");
    assertEquals(1, sim.tokenCalls("refresh_token"), "no refresh without the refresh token");
    admin().post("/v1/grants/" + grantId + "/refresh").then().statusCode(200);
    assertEquals(0, sim.reuseDetections());
  }

  private String column(String sql, String id) {
    return QuarkusTransaction.requiringNew()
        .call(() -> (String) db.value("Reading a column", sql, id));
  }
}
