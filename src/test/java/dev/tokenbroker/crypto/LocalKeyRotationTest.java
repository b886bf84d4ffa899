package dev.tokenbroker.crypto;

import static dev.tokenbroker.support.Api.admin;
import static dev.tokenbroker.support.Api.unique;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tokenbroker.db.Database;
import dev.tokenbroker.simulator.InjectSimulator;
import dev.tokenbroker.simulator.ProviderSimulator;
import dev.tokenbroker.simulator.ProviderSimulatorResource;
import dev.tokenbroker.support.Api;
import dev.tokenbroker.support.Flows;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/**
 * Local key rotation: with key 2 added and active, rows still sealed by key 1 keep working and the
 * admin re-wrap moves every one of them to key 2.
 */
@QuarkusTest
@TestProfile(LocalKeyRotationTest.TwoKeys.class)
class LocalKeyRotationTest {

  static final String KEY_1 = "1:AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";
  static final String KEY_2 = "2:ICEiIyQlJicoKSorLC0uLzAxMjM0NTY3ODk6Ozw9Pj8=";

  /**
   * Keys 1 and 2 configured, 2 active; a database of its own, since the test counts every
   * ciphertext on an old key and the other classes' rows are sealed with another version 1.
   */
  public static class TwoKeys implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      return Map.of(
          "broker.crypto.local.keys",
          KEY_1 + "," + KEY_2,
          "quarkus.datasource.jdbc.url",
          "jdbc:h2:mem:local-key-rotation;DB_CLOSE_DELAY=-1");
    }

    @Override
    public List<TestResourceEntry> testResources() {
      return List.of(new TestResourceEntry(ProviderSimulatorResource.class));
    }
  }

  @InjectSimulator ProviderSimulator sim;
  @Inject Database db;

  @Test
  void rewrapMovesRowsSealedByAnOldKeyToTheActiveOne() {
    sim.reset();
    String provider = unique("local-rot");
    Flows.registerCodeProvider(provider, sim, Map.of());
    String location = Flows.authorize(provider, Api.ADMIN_KEY, "rot-user", List.of("r:profile"));
    String grantId = Flows.queryParam(location, "grant_id");

    // as if sealed before key 2 existed
    LocalAesGcmCipher keyOne =
        new LocalAesGcmCipher(LocalKeyRing.parse(List.of(KEY_1), OptionalInt.empty()));
    QuarkusTransaction.requiringNew()
        .run(
            () ->
                db.update(
                    "Sealing with key 1",
                    "update provider set client_secret_ct = ?1 where id = ?2",
                    keyOne.encrypt(
                        sim.clientSecret(),
                        SecretBinding.of("provider", provider, "client_secret")),
                    provider));

    LocalAesGcmCipher bothKeys =
        new LocalAesGcmCipher(LocalKeyRing.parse(List.of(KEY_1, KEY_2), OptionalInt.empty()));
    SecretBinding refreshBinding = SecretBinding.of("oauth_grant", grantId, "refresh_token");
    String refreshToken =
        bothKeys.decrypt(
            column("select refresh_token_ct from oauth_grant where id = ?1", grantId),
            refreshBinding);
    QuarkusTransaction.requiringNew()
        .run(
            () ->
                db.update(
                    "Sealing with key 1",
                    "update oauth_grant set refresh_token_ct = ?1 where id = ?2",
                    keyOne.encrypt(refreshToken, refreshBinding),
                    grantId));

    admin()
        .get("/v1/admin/crypto")
        .then()
        .body("backend", equalTo("local"))
        .body("active_key_version", equalTo(2))
        .body("ciphertexts_on_old_keys", equalTo(2));
    admin()
        .body("{}")
        .post("/v1/admin/crypto/rewrap")
        .then()
        .statusCode(200)
        .body("rewrapped", equalTo(2))
        .body("remaining", equalTo(0));
    String secret = column("select client_secret_ct from provider where id = ?1", provider);
    assertTrue(secret.startsWith("tbk:v2:"), secret);
    String refresh = column("select refresh_token_ct from oauth_grant where id = ?1", grantId);
    assertTrue(refresh.startsWith("tbk:v2:"), refresh);
    // the refresh opens the re-wrapped refresh token
    admin().post("/v1/grants/" + grantId + "/refresh").then().statusCode(200);
    assertTrue(sim.reuseDetections() == 0);

    admin()
        .body(Map.of("rotate_key", true))
        .post("/v1/admin/crypto/rewrap")
        .then()
        .statusCode(400)
        .body("invalid_params[0].name", equalTo("rotate_key"));
  }

  private String column(String sql, String id) {
    return QuarkusTransaction.requiringNew()
        .call(() -> (String) db.value("Reading a column", sql, id));
  }
}
