package dev.tokenbroker.outbound;

import static dev.tokenbroker.support.Api.admin;
import static dev.tokenbroker.support.Api.as;
import static dev.tokenbroker.support.Api.unique;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import dev.tokenbroker.simulator.InjectSimulator;
import dev.tokenbroker.simulator.ProviderSimulator;
import dev.tokenbroker.support.Api;
import dev.tokenbroker.support.Flows;
import dev.tokenbroker.support.SecretLeakGuard;
import dev.tokenbroker.support.SimulatorProfile;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * DESIGN §6: what a token endpoint answers cannot steer or stall the broker. A 303 to another
 * listener is a failed call and the listener sees nothing (least of all the client secret in {@code
 * Authorization: Basic}); an answer over 1 MiB is refused when its first MiB is in, and its rest
 * never read; an answer that drips ends at the request deadline. Either way the connection is
 * closed.
 */
@QuarkusTest
@ExtendWith(SecretLeakGuard.class)
@TestProfile(SimulatorProfile.class)
class UpstreamAnswersTest {

  @InjectSimulator ProviderSimulator sim;

  private HttpServer listener;
  private final AtomicInteger seen = new AtomicInteger();
  private String provider;

  @BeforeEach
  void listenerAndProvider() throws Exception {
    sim.reset();
    listener = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 10);
    listener.createContext(
        "/",
        exchange -> {
          seen.incrementAndGet();
          exchange.sendResponseHeaders(200, -1);
          exchange.close();
        });
    listener.start();
    provider = unique("redirecting");
    Flows.registerCodeProvider(provider, sim, Map.of("client_auth_method", "client_secret_basic"));
  }

  @AfterEach
  void stopListener() {
    listener.stop(0);
  }

  private String listenerUrl() {
    return "http://127.0.0.1:" + listener.getAddress().getPort() + "/steal";
  }

  @Test
  void aRefreshAnswered303IsAFailedCallAndTheLocationSeesNothing() {
    String subject = unique("learner");
    Flows.importGrant(provider, subject, sim.issueRefreshTokenFor("r:profile"));
    String consumer = Api.consumer(unique("svc"), provider, List.of("r:*"));
    sim.redirectTo(listenerUrl());
    as(consumer)
        .body(Map.of("provider_id", provider, "subject", subject))
        .post("/v1/tokens")
        .then()
        .statusCode(502)
        .contentType("application/problem+json")
        .body("code", startsWith("upstream_"))
        .body("access_token", equalTo(null));
    assertEquals(1, sim.tokenCalls("refresh_token"), "the broker called the token endpoint");
    assertEquals(0, seen.get(), "nothing was sent to the Location of the 303");
  }

  @Test
  void aRevocationAnswered303IsNotFollowed() {
    String grant = Flows.importGrant(provider, unique("learner"), sim.issueRefreshTokenFor("r:x"));
    sim.redirectTo(listenerUrl());
    admin().delete("/v1/grants/" + grant).then().statusCode(204);
    assertEquals(0, seen.get(), "nothing was sent to the Location of the 303");
    assertEquals(0, sim.revocations());
  }

  @Test
  void anAnswerOf256MiBIsRefusedAtItsFirstMebibyteNotAfterItsEnd() {
    String subject = unique("learner");
    Flows.importGrant(provider, subject, sim.issueRefreshTokenFor("r:profile"));
    String consumer = Api.consumer(unique("svc"), provider, List.of("r:*"));
    sim.slowAnswer(256 * 1024 * 1024, 0);
    as(consumer)
        .body(Map.of("provider_id", provider, "subject", subject))
        .post("/v1/tokens")
        .then()
        .statusCode(503)
        .contentType("application/problem+json")
        .body("code", equalTo("upstream_unavailable"))
        .body("access_token", equalTo(null));
    // Read the whole answer first, as Vert.x's buffer codec does, and the caller would wait for
    // all of it; refused at 1 MiB, the provider is far from its end when the caller has the 503.
    long sent = sim.slowAnswerBytesWritten();
    assertTrue(sent < 128L * 1024 * 1024, "the provider had sent " + sent + " bytes");
    // and the rest is never read: the connection is closed with the client it belonged to
    await().atMost(Duration.ofSeconds(20)).until(sim::slowAnswerOver);
    sent = sim.slowAnswerBytesWritten();
    assertTrue(sent < 128L * 1024 * 1024, "the provider could send " + sent + " bytes");
  }

  @Test
  void anAnswerThatDripsEndsAtTheRequestDeadlineAndSoDoesItsConnection() {
    String subject = unique("learner");
    Flows.importGrant(provider, subject, sim.issueRefreshTokenFor("r:profile"));
    String consumer = Api.consumer(unique("svc"), provider, List.of("r:*"));
    // 40 KiB, one KiB every 500 ms: 20 s, past the test profile's 3-s request timeout
    sim.slowAnswer(40 * 1024, 500);
    as(consumer)
        .body(Map.of("provider_id", provider, "subject", subject))
        .post("/v1/tokens")
        .then()
        .statusCode(503)
        .body("code", equalTo("upstream_unavailable"));
    await().atMost(Duration.ofSeconds(30)).until(sim::slowAnswerOver);
    assertEquals(
        0,
        sim.slowAnswerFinishedAtMillis(),
        "the broker closed the connection before the provider's 20 s were over");
  }
}
