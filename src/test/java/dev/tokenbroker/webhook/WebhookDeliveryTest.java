package dev.tokenbroker.webhook;

import static dev.tokenbroker.support.Api.admin;
import static dev.tokenbroker.support.Api.unique;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tokenbroker.simulator.InjectSimulator;
import dev.tokenbroker.simulator.ProviderSimulator;
import dev.tokenbroker.support.Api;
import dev.tokenbroker.support.Flows;
import dev.tokenbroker.support.SecretLeakGuard;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A grant turning reauthorization_required, and recovering, reaches the webhook receiver as a
 * signed event, retried until the receiver accepts it.
 */
@QuarkusTest
@ExtendWith(SecretLeakGuard.class)
@TestProfile(WebhookProfile.class)
class WebhookDeliveryTest {

  @InjectSimulator ProviderSimulator sim;

  @Test
  void reauthorizationRequiredAndRecoveryAreDeliveredSignedAndRetried() throws Exception {
    WebhookReceiver receiver = WebhookProfile.Receiver.receiver;
    receiver.clear();
    sim.reset();
    String provider = unique("hooked");
    String grantId = grantWhoseRefreshTokenIsRevoked(provider, "hook-user");

    receiver.failNext(2);
    admin().post("/v1/grants/" + grantId + "/refresh").then().statusCode(409);
    List<WebhookReceiver.Received> attempts =
        await(receiver, r -> "grant.reauthorization_required".equals(r.event()), 3);
    assertEquals(
        1,
        attempts.stream().map(WebhookReceiver.Received::delivery).distinct().count(),
        "retries carry the same delivery id");
    WebhookReceiver.Received event = attempts.get(attempts.size() - 1);
    assertSigned(event);
    JsonPath body = JsonPath.from(event.body());
    assertEquals(event.delivery(), body.getString("id"));
    assertEquals("grant.reauthorization_required", body.getString("type"));
    assertEquals(grantId, body.getString("grant.id"));
    assertEquals(provider, body.getString("grant.provider_id"));
    assertEquals("hook-user", body.getString("grant.subject"));
    assertEquals("reauthorization_required", body.getString("grant.status"));
    assertEquals("invalid_grant", body.getString("grant.last_error.code"));
    for (String secret : sim.issuedSecrets()) {
      assertFalse(event.body().contains(secret), "a token in a webhook");
    }

    String again =
        Flows.queryParam(
            Flows.authorize(provider, Api.ADMIN_KEY, "hook-user", List.of("r:profile")),
            "grant_id");
    assertEquals(grantId, again, "same grant");
    WebhookReceiver.Received recovered =
        await(receiver, r -> "grant.recovered".equals(r.event()), 1).get(0);
    assertSigned(recovered);
    assertEquals("active", JsonPath.from(recovered.body()).getString("grant.status"));
  }

  @Test
  void anAnswerThatDripsPastTheDeadlineIsAFailedAttemptAndTheDeliveryIsRetried() {
    WebhookReceiver receiver = WebhookProfile.Receiver.receiver;
    receiver.clear();
    sim.reset();
    String grantId = grantWhoseRefreshTokenIsRevoked(unique("dripping"), "drip-user");

    // the first attempt is answered 200 with a body that takes 20 s; the profile's deadline is 2 s
    receiver.dripNext(1);
    admin().post("/v1/grants/" + grantId + "/refresh").then().statusCode(409);
    List<WebhookReceiver.Received> attempts =
        await(
            receiver,
            r -> r.body().contains(grantId) && "grant.reauthorization_required".equals(r.event()),
            2);
    assertEquals(
        1,
        attempts.stream().map(WebhookReceiver.Received::delivery).distinct().count(),
        "the retry carries the same delivery id");
    assertEquals(
        List.of(true),
        Awaitility.await().until(receiver::drips, drips -> !drips.isEmpty()),
        "the broker hung up on the dripping answer before its end");
  }

  /** A new grant of {@code subject} at a new provider, whose refresh token the provider revoked. */
  private String grantWhoseRefreshTokenIsRevoked(String provider, String subject) {
    Flows.registerCodeProvider(provider, sim, Map.of());
    Set<String> before = sim.issuedSecrets();
    String grantId =
        Flows.queryParam(
            Flows.authorize(provider, Api.ADMIN_KEY, subject, List.of("r:profile")), "grant_id");
    String refreshToken =
        sim.issuedSecrets().stream()
            .filter(secret -> secret.startsWith("rt-") && !before.contains(secret))
            .findFirst()
            .orElseThrow();
    sim.revokeFamilyOf(refreshToken);
    return grantId;
  }

  private static void assertSigned(WebhookReceiver.Received event) throws Exception {
    String[] parts = event.signature().split(",");
    assertTrue(parts[0].startsWith("t=") && parts[1].startsWith("v1="), event.signature());
    String timestamp = parts[0].substring(2);
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(
        new SecretKeySpec(WebhookProfile.SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
    String expected =
        HexFormat.of()
            .formatHex(
                mac.doFinal((timestamp + "." + event.body()).getBytes(StandardCharsets.UTF_8)));
    assertEquals(expected, parts[1].substring(3), "signature over t.body");
  }

  private static List<WebhookReceiver.Received> await(
      WebhookReceiver receiver, Predicate<WebhookReceiver.Received> which, int count) {
    return Awaitility.await("deliveries")
        .atMost(Duration.ofSeconds(15))
        .until(
            () -> receiver.received().stream().filter(which).toList(),
            matching -> matching.size() >= count);
  }
}
