package dev.tokenbroker.outbound;

import static dev.tokenbroker.support.Api.admin;
import static dev.tokenbroker.support.Api.unique;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import dev.tokenbroker.support.Api;
import dev.tokenbroker.support.ConnectionCounter;
import dev.tokenbroker.support.DrippingAnswer;
import dev.tokenbroker.support.ScriptedResolver;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * DESIGN §6: the JWKS that verify callers' and subjects' JWTs are read under the outbound policy.
 * The service-account issuer's JWKS is on a loopback address the test profile does not allow, and
 * the broker refuses to read it; one subject-token issuer answers its JWKS with a redirect, which
 * is not followed; another's JWKS is on the refused address; two more are https at names that only
 * the broker's (scripted) resolver knows, one resolving to the allowed address and one to the
 * refused one, so that a connection to them can only have come through the egress gate; the last
 * one's JWKS drips past the request deadline. Each listener counts what reaches it.
 */
@QuarkusTest
@TestProfile(JwksOutboundPolicyTest.Profile.class)
class JwksOutboundPolicyTest {

  private static final String EXCHANGE = "urn:ietf:params:oauth:grant-type:token-exchange";
  private static final String JWT_TYPE = "urn:ietf:params:oauth:token-type:jwt";

  /** A JWT in shape, with a key id that sends the verifier to the issuer's JWKS. */
  private static final String SOME_JWT =
      part("{\"alg\":\"RS256\",\"kid\":\"k1\",\"typ\":\"JWT\"}")
          + "."
          + part("{\"iss\":\"https://issuer.example\",\"sub\":\"svc\",\"aud\":\"token-broker\"}")
          + "."
          + part("not-a-signature-but-long-enough");

  Listeners listeners;

  @BeforeEach
  void clearCounts() {
    listeners.reset();
  }

  @Test
  void aServiceAccountJwtWhoseJwksIsOnARefusedAddressIs502AndTheAddressSeesNothing() {
    given()
        .header("Authorization", "Bearer " + SOME_JWT)
        .get("/v1/providers")
        .then()
        .statusCode(502)
        .contentType("application/problem+json")
        .body("code", equalTo("url_not_allowed"))
        .body("detail", containsString("broker.caller.jwt.jwks-url"));
    assertEquals(0, listeners.refused.get(), "nothing reached the refused address");
  }

  @Test
  void everyTrustedIssuersJwksIsReadOnlyWhereAndAsThePolicyAllows() {
    // names only the broker's resolver knows: a connection to them came through the gate
    ScriptedResolver.answer(Listeners.ALLOWED_NAME, "127.0.0.1");
    ScriptedResolver.answer(Listeners.REBOUND_NAME, "127.0.0.2");
    exchange(exchangeConsumer())
        .statusCode(503)
        .body("error", equalTo("temporarily_unavailable"))
        .body("error_description", containsString("url_not_allowed"));
    assertEquals(0, listeners.refused.get(), "nothing reached the refused address");
    assertTrue(listeners.redirecting.get() > 0, "the redirecting issuer's JWKS was asked for");
    assertEquals(0, listeners.redirectTarget.get(), "the redirect was not followed");
    assertTrue(
        listeners.gatedAllowed.connections() > 0, "the gate connected to the allowed address");
    assertEquals(0, listeners.gatedRebound.connections(), "nothing reached the rebound address");
    await().atMost(Duration.ofSeconds(15)).until(listeners.drip::isDone);
    assertEquals(
        true,
        listeners.drip.join(),
        "the dripping JWKS was cut off at the request deadline, before its 20 s were over");
  }

  /** A provider and a consumer allowed to exchange subject tokens for it. */
  private static Map<String, Object> exchangeConsumer() {
    String provider = unique("jwks");
    admin().body(Api.genericProvider()).put("/v1/providers/" + provider).then().statusCode(201);
    Map<String, Object> consumer =
        Api.createCaller(Api.consumerBody(unique("svc"), provider, List.of("openid")));
    consumer.put("provider", provider);
    return consumer;
  }

  /** An RFC 8693 exchange of {@link #SOME_JWT}, which every trusted issuer is asked to verify. */
  private static ValidatableResponse exchange(Map<String, Object> consumer) {
    return given()
        .contentType(ContentType.URLENC)
        .formParam("client_id", consumer.get("id"))
        .formParam("client_secret", consumer.get("api_key"))
        .formParam("grant_type", EXCHANGE)
        .formParam("audience", consumer.get("provider"))
        .formParam("subject_token", SOME_JWT)
        .formParam("subject_token_type", JWT_TYPE)
        .post("/v1/oauth/token")
        .then();
  }

  @AfterEach
  void forgetNames() {
    ScriptedResolver.forget(Listeners.ALLOWED_NAME);
    ScriptedResolver.forget(Listeners.REBOUND_NAME);
  }

  private static String part(String text) {
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(text.getBytes(StandardCharsets.UTF_8));
  }

  public static class Profile implements QuarkusTestProfile {
    @Override
    public List<TestResourceEntry> testResources() {
      return List.of(new TestResourceEntry(Listeners.class));
    }
  }

  /**
   * Three listeners: a JWKS that redirects, the redirect's target (both on 127.0.0.1, which the
   * test profile allows), and one on 127.0.0.2, which it does not.
   */
  public static class Listeners implements QuarkusTestResourceLifecycleManager {

    final AtomicInteger redirecting = new AtomicInteger();
    final AtomicInteger redirectTarget = new AtomicInteger();
    final AtomicInteger refused = new AtomicInteger();
    final ConnectionCounter gatedAllowed = new ConnectionCounter();
    final ConnectionCounter gatedRebound = new ConnectionCounter();

    /** Completes with whether the dripping JWKS was cut off by the broker before its end. */
    volatile CompletableFuture<Boolean> drip = new CompletableFuture<>();

    private final List<HttpServer> servers = new java.util.ArrayList<>();

    static final String ALLOWED_NAME = "jwks-allowed.test";
    static final String REBOUND_NAME = "jwks-rebound.test";

    @Override
    public Map<String, String> start() {
      try {
        return listeners();
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
    }

    private Map<String, String> listeners() throws IOException {
      HttpServer target = listen("127.0.0.1", redirectTarget, null);
      String targetUrl = "http://127.0.0.1:" + target.getAddress().getPort() + "/jwks";
      HttpServer redirect = listen("127.0.0.1", redirecting, targetUrl);
      HttpServer inside = listen("127.0.0.2", refused, null);
      String insideUrl = "http://127.0.0.2:" + inside.getAddress().getPort() + "/jwks";
      HttpServer dripping = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 10);
      dripping.createContext(
          "/", exchange -> drip.complete(DrippingAnswer.send(exchange, "{\"keys\":[")));
      dripping.start();
      servers.add(dripping);
      Map<String, String> config = new HashMap<>();
      trust(config, "gated", "https://" + ALLOWED_NAME + ":" + gatedAllowed.port() + "/jwks");
      trust(config, "rebound", "https://" + REBOUND_NAME + ":" + gatedRebound.port() + "/jwks");
      trust(config, "dripping", "http://127.0.0.1:" + dripping.getAddress().getPort() + "/jwks");
      trust(config, "redirecting", "http://127.0.0.1:" + redirect.getAddress().getPort() + "/jwks");
      trust(config, "inside", insideUrl);
      config.put("broker.caller.jwt.issuer", "https://issuer.example");
      config.put("broker.caller.jwt.audience", "token-broker");
      config.put("broker.caller.jwt.jwks-url", insideUrl);
      return config;
    }

    /** A trusted issuer of subject tokens whose keys are at {@code jwksUrl}. */
    private static void trust(Map<String, String> config, String name, String jwksUrl) {
      String prefix = "broker.exchange.issuers." + name + ".";
      config.put(prefix + "issuer", "https://issuer.example");
      config.put(prefix + "audience", "token-broker");
      config.put(prefix + "jwks-url", jwksUrl);
    }

    private HttpServer listen(String address, AtomicInteger seen, String redirectTo) {
      try {
        HttpServer server = HttpServer.create(new InetSocketAddress(address, 0), 10);
        server.createContext(
            "/",
            exchange -> {
              seen.incrementAndGet();
              if (redirectTo != null) {
                exchange.getResponseHeaders().add("Location", redirectTo);
                exchange.sendResponseHeaders(302, -1);
              } else {
                byte[] none = "{\"keys\":[]}".getBytes(StandardCharsets.UTF_8);
                exchange.sendResponseHeaders(200, none.length);
                exchange.getResponseBody().write(none);
              }
              exchange.close();
            });
        server.start();
        servers.add(server);
        return server;
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
    }

    void reset() {
      redirecting.set(0);
      redirectTarget.set(0);
      refused.set(0);
      gatedAllowed.reset();
      gatedRebound.reset();
      drip = new CompletableFuture<>();
    }

    @Override
    public void inject(TestInjector injector) {
      injector.injectIntoFields(this, field -> field.getType() == Listeners.class);
    }

    @Override
    public void stop() {
      servers.forEach(server -> server.stop(0));
      gatedAllowed.close();
      gatedRebound.close();
    }
  }
}
