package dev.tokenbroker.cluster;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tokenbroker.simulator.ProviderSimulator;
import dev.tokenbroker.support.BrokerProcess;
import dev.tokenbroker.support.Concurrently;
import dev.tokenbroker.support.Flows;
import dev.tokenbroker.support.FreePorts;
import dev.tokenbroker.support.RawHttp;
import io.restassured.http.ContentType;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Three broker JVMs from the packaged jar share one PostgreSQL: however many callers hit them at
 * once, each grant is refreshed once per expiry, no rotated refresh token is reused, a provider's
 * minimum request interval holds cluster-wide, a storm of upstream failures loses no grant, a token
 * reported as rejected on every instance is replaced by one refresh, and a consent becomes a grant
 * only when the app that started it confirms its subject, on whichever instance.
 */
class ClusterIT {

  /** Long enough that a round of 200 callers on this 2-core machine ends well before expiry. */
  private static final int LIFETIME_SECONDS = 30;

  private static final HttpClient HTTP =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private static final String ADMIN_KEY = "it-admin-key-0123456789abcdefghijklmnopq";

  private static EmbeddedPostgres postgres;
  private static ProviderSimulator sim;
  private static final List<BrokerProcess> brokers = new ArrayList<>();

  @BeforeAll
  static void startCluster() throws Exception {
    postgres = EmbeddedPostgres.builder().setPort(FreePorts.reserve()).start();
    sim = new ProviderSimulator();
    Map<String, String> env =
        new HashMap<>(BrokerProcess.productionEnvironment(postgres, ADMIN_KEY));
    env.put("BROKER_REFRESH_PROACTIVE_SCAN_INTERVAL", "1s");
    env.put("BROKER_UPSTREAM_REQUEST_TIMEOUT", "2s");
    env.put("BROKER_UPSTREAM_CIRCUIT_DELAY", "3s");
    env.put("BROKER_REFRESH_REJECTED_TOKEN_MIN_INTERVAL", "5s");
    env.put("BROKER_ALLOWED_RETURN_URLS", "https://app.example.test/");
    brokers.add(BrokerProcess.start("a", env));
    brokers.add(BrokerProcess.start("b", env));
    brokers.add(BrokerProcess.start("c", env));
    for (BrokerProcess broker : brokers) {
      broker.awaitReady(Duration.ofSeconds(90));
    }
  }

  @AfterAll
  static void stopCluster() throws Exception {
    brokers.forEach(BrokerProcess::close);
    if (sim != null) {
      sim.close();
    }
    if (postgres != null) {
      postgres.close();
    }
  }

  @Test
  void concurrentCallersOnAllInstancesCauseOneRefreshPerExpiry() throws Exception {
    sim.reset();
    sim.latency(300).accessTokenLifetime(LIFETIME_SECONDS);
    String provider = "cluster-sim";
    Map<String, Object> definition = codeProvider();
    admin(0).body(definition).put("/v1/providers/" + provider).then().statusCode(201);

    // The grant has no access token: its first refresh (a caller's or a scheduler's) comes after
    // the import, and the next is due 70-75 % of the lifetime (21 s) after that. The round is timed
    // from the import, so that a slow warm-up cannot let that next refresh fall inside it.
    warmUp();
    long imported = System.nanoTime();
    long importedAt = System.currentTimeMillis();
    admin(1)
        .body(Flows.grantImport("shared-user", sim.issueRefreshTokenFor("r:profile")))
        .post("/v1/providers/" + provider + "/grants")
        .then()
        .statusCode(201);
    Set<String> round1 = tokensFromAll(provider, 300);
    long sinceImport = (System.nanoTime() - imported) / 1_000_000;
    assertTrue(sinceImport < LIFETIME_SECONDS * 600, "round ended " + sinceImport + " ms in");
    assertEquals(1, round1.size(), "all callers share one token");
    assertEquals(
        1,
        sim.tokenCalls("refresh_token"),
        "refresh_token calls at "
            + sim.refreshTimesByFamily().values().stream()
                .flatMap(List::stream)
                .map(t -> (t - importedAt) + " ms")
                .toList()
            + " after the import; the round ended at "
            + sinceImport
            + " ms");

    // the schedulers refresh ahead (at ~75% of the lifetime); callers then need no refresh
    // (past the first token's expiry: until then a replica may still serve it from its cache)
    Thread.sleep(LIFETIME_SECONDS * 1000 + 500);
    Set<String> round2 = tokensFromAll(provider, 300);
    assertEquals(1, round2.size());
    assertNotEquals(round1, round2);
    // the schedulers refresh at ~75 % of each 30-s lifetime: a slow first round may let a third
    // cycle begin before round 2, but never two refreshes within one cycle
    List<Long> refreshed = sim.refreshTimesByFamily().values().iterator().next();
    assertTrue(refreshed.size() >= 2, "refreshed " + refreshed.size() + " times");
    for (int i = 1; i < refreshed.size(); i++) {
      long gap = refreshed.get(i) - refreshed.get(i - 1);
      assertTrue(
          gap >= 20_000, "two refreshes within one cycle, cluster-wide: " + gap + " ms apart");
    }
    assertEquals(1, sim.maxConcurrentRefreshes());
    assertEquals(0, sim.reuseDetections(), "a rotated-away refresh token was reused");
  }

  @Test
  void allSchedulersShareProactiveRefreshesWithoutDuplicates() throws Exception {
    sim.reset();
    sim.accessTokenLifetime(8);
    String provider = "cluster-proactive";
    Map<String, Object> definition = codeProvider();
    admin(1).body(definition).put("/v1/providers/" + provider).then().statusCode(201);
    for (int i = 0; i < 30; i++) {
      admin(i % brokers.size())
          .body(Flows.grantImport("user-" + i, sim.issueRefreshTokenFor("r:profile")))
          .post("/v1/providers/" + provider + "/grants")
          .then()
          .statusCode(201);
    }
    // 8-s tokens come due at ~6 s: the import's refresh and two cycles of the schedulers
    Awaitility.await("two proactive refreshes of every grant")
        .atMost(Duration.ofSeconds(40))
        .pollInterval(Duration.ofMillis(200))
        .until(
            () -> {
              Map<String, List<Long>> times = sim.refreshTimesByFamily();
              return times.size() == 30 && times.values().stream().allMatch(t -> t.size() >= 3);
            });
    admin(0).delete("/v1/providers/" + provider + "?cascade=true").then().statusCode(204);

    assertEquals(0, sim.reuseDetections(), "a rotated-away refresh token was reused");
    Map<String, List<Long>> byFamily = sim.refreshTimesByFamily();
    assertEquals(30, byFamily.size());
    for (List<Long> times : byFamily.values()) {
      assertTrue(times.size() >= 3, "refreshed " + times.size() + " times");
      for (int i = 1; i < times.size(); i++) {
        long gap = times.get(i) - times.get(i - 1);
        assertTrue(gap >= 4_000, "refreshed twice within one cycle: " + gap + " ms apart");
      }
    }
  }

  @Test
  void minimumIntervalHoldsAcrossInstancesUnderAThousandCallers() throws Exception {
    sim.reset();
    sim.minIssueInterval(Duration.ofSeconds(2)).accessTokenLifetime(3);
    String provider = "cluster-interval";
    Map<String, Object> definition = new HashMap<>();
    definition.put("preset", "open-badge-factory");
    definition.put("token_url", sim.baseUrl() + "/token");
    definition.put("client_id", sim.clientId());
    definition.put("client_secret", sim.clientSecret());
    definition.put("min_token_request_interval_seconds", 2);
    admin(2).body(definition).put("/v1/providers/" + provider).then().statusCode(201);

    // 1,000 callers spread over 8 s, each needing 2 s of validity from 3-s tokens: every
    // replica wants a new token about every second, the provider allows one per 2 s.
    String body = "{\"provider_id\":\"" + provider + "\",\"min_validity_seconds\":2}";
    AtomicInteger next = new AtomicInteger();
    List<HttpResponse<String>> responses =
        Concurrently.run(
            1000,
            () -> {
              int caller = next.getAndIncrement();
              Thread.sleep((caller % 80) * 100L);
              return post(caller % brokers.size(), "/v1/tokens", body);
            });
    int served = 0;
    for (HttpResponse<String> response : responses) {
      if (response.statusCode() == 200) {
        served++;
      } else {
        assertEquals(503, response.statusCode(), response.body());
        assertTrue(response.body().contains("upstream_unavailable"), response.body());
        assertTrue(response.headers().firstValue("Retry-After").isPresent());
      }
    }
    assertEquals(0, sim.issueIntervalViolations(), "the provider saw tokens asked too soon");
    assertTrue(sim.minimumGapMillis() >= 2_000, "gap " + sim.minimumGapMillis() + " ms");
    assertTrue(sim.tokenCalls("client_credentials") >= 3, "the interval was really exercised");
    assertTrue(served >= 900, served + " of 1000 callers served");
    // its schedulers would keep refreshing the 3-s token: stop them counting in later tests
    admin(0).delete("/v1/providers/" + provider + "?cascade=true").then().statusCode(204);
  }

  @Test
  void aStormOfUpstreamFailuresLosesNoGrantAndNeverBreaksTheGuard() throws Exception {
    sim.reset();
    sim.accessTokenLifetime(6).minIssueInterval(Duration.ofSeconds(1));
    String codeProvider = "storm-code";
    Map<String, Object> code = codeProvider();
    admin(0).body(code).put("/v1/providers/" + codeProvider).then().statusCode(201);
    String clientProvider = "storm-client";
    Map<String, Object> client = new HashMap<>(code);
    client.remove("authorization_url");
    client.put("grant_type", "client_credentials");
    client.put("min_token_request_interval_seconds", 1);
    admin(1).body(client).put("/v1/providers/" + clientProvider).then().statusCode(201);
    int grants = 20;
    for (int i = 0; i < grants; i++) {
      admin(i % brokers.size())
          .body(Flows.grantImport("storm-user-" + i, sim.issueRefreshTokenFor("r:profile")))
          .post("/v1/providers/" + codeProvider + "/grants")
          .then()
          .statusCode(201);
    }

    sim.storm(0.3, 0.1, 0.1, 3_000);
    Map<Integer, AtomicInteger> statuses = new java.util.concurrent.ConcurrentHashMap<>();
    long stormEnds = System.currentTimeMillis() + 20_000;
    AtomicInteger next = new AtomicInteger();
    Concurrently.run(
        30,
        () -> {
          while (System.currentTimeMillis() < stormEnds) {
            int n = next.getAndIncrement();
            String body =
                n % 4 == 0
                    ? "{\"provider_id\":\"" + clientProvider + "\"}"
                    : "{\"provider_id\":\""
                        + codeProvider
                        + "\",\"subject\":\"storm-user-"
                        + (n % grants)
                        + "\",\"min_validity_seconds\":2}";
            int status = post(n % brokers.size(), "/v1/tokens", body).statusCode();
            statuses.computeIfAbsent(status, k -> new AtomicInteger()).incrementAndGet();
            Thread.sleep(50);
          }
          return null;
        });
    sim.calm();
    assertTrue(sim.stormFaults() > 20, "storm faults: " + sim.stormFaults());
    assertTrue(
        Set.of(200, 503).containsAll(statuses.keySet()),
        "callers saw only tokens or 503 during the storm: " + statuses);

    // Calls that hung before the calm still answer 504 up to 3 s later and may open a circuit
    // again; a grant is lost only if it never serves again, so each caller follows Retry-After.
    for (int i = 0; i < grants; i++) {
      String body =
          "{\"provider_id\":\"" + codeProvider + "\",\"subject\":\"storm-user-" + i + "\"}";
      HttpResponse<String> response = tokenAfterTheStorm(i % brokers.size(), body);
      assertEquals(200, response.statusCode(), "storm-user-" + i + ": " + response.body());
    }
    String active =
        admin(0)
            .get("/v1/grants?provider_id=" + codeProvider + "&status=active&limit=100")
            .then()
            .statusCode(200)
            .extract()
            .asString();
    assertEquals(grants, io.restassured.path.json.JsonPath.from(active).getList("items").size());
    assertEquals(0, sim.reuseDetections(), "a rotated-away refresh token was reused");
    assertEquals(0, sim.issueIntervalViolations(), "the request interval was broken");
  }

  @Test
  void aRejectedTokenReportedOnEveryInstanceIsReplacedByOneRefresh() throws Exception {
    sim.reset();
    sim.accessTokenLifetime(3600).latency(200);
    String provider = "cluster-rejected";
    admin(2).body(codeProvider()).put("/v1/providers/" + provider).then().statusCode(201);
    admin(0)
        .body(Flows.grantImport("revoked-user", sim.issueRefreshTokenFor("r:profile")))
        .post("/v1/providers/" + provider + "/grants")
        .then()
        .statusCode(201);
    String request = "{\"provider_id\":\"" + provider + "\",\"subject\":\"revoked-user\"";
    String first = accessToken(post(0, "/v1/tokens", request + "}"));
    int refreshes = refreshesOfTheOneFamily();
    sim.revokeAccessToken(first);
    Thread.sleep(5_100); // older than the brokers' 5-s rejected-token-min-interval (their clock)

    String report = request + ",\"rejected_access_token\":\"" + first + "\"}";
    AtomicInteger next = new AtomicInteger();
    Set<String> replaced = new HashSet<>();
    for (HttpResponse<String> answer :
        Concurrently.run(
            90, () -> post(next.getAndIncrement() % brokers.size(), "/v1/tokens", report))) {
      replaced.add(accessToken(answer));
    }
    assertEquals(1, replaced.size(), "every reporter on every instance got the one new token");
    String second = replaced.iterator().next();
    assertNotEquals(first, second);
    assertTrue(sim.accessTokenActive(second));
    assertEquals(refreshes + 1, refreshesOfTheOneFamily(), "one refresh cluster-wide");

    // reports of the new token within the interval (5 s from its issue) refresh nothing
    String again = request + ",\"rejected_access_token\":\"" + second + "\"}";
    for (int i = 0; i < brokers.size(); i++) {
      assertEquals(second, accessToken(post(i, "/v1/tokens", again)));
    }
    assertEquals(refreshes + 1, refreshesOfTheOneFamily());
    assertEquals(0, sim.reuseDetections());
    admin(0).delete("/v1/providers/" + provider + "?cascade=true").then().statusCode(204);
  }

  /**
   * Refreshes of the only grant family created since the simulator's reset; earlier tests'
   * schedulers keep calling it for their own grants, so the token endpoint's call count would not
   * do.
   */
  private static int refreshesOfTheOneFamily() {
    Map<String, List<Long>> families = sim.refreshTimesByFamily();
    assertEquals(1, families.size(), "families since the reset");
    return families.values().iterator().next().size();
  }

  private static String accessToken(HttpResponse<String> answer) {
    assertEquals(200, answer.statusCode(), answer.body());
    return io.restassured.path.json.JsonPath.from(answer.body()).getString("access_token");
  }

  @Test
  void consentIsStoredOnlyWhenTheStartingAppConfirmsItsSubjectOnAnyInstance() {
    sim.reset();
    String provider = "cluster-consent";
    Map<String, Object> definition = codeProvider();
    definition.put("revocation_url", sim.baseUrl() + "/revoke");
    definition.put("redirect_uri", brokers.get(0).baseUrl() + "/v1/oauth/callback");
    admin(0).body(definition).put("/v1/providers/" + provider).then().statusCode(201);
    String app =
        consumer(
            1,
            "consent-app",
            Map.of("provider_id", provider, "subjects", List.of("*"), "scopes", List.of("r:*")));

    // the prod profile needs a return_url: no unconfirmed grants
    as(app, 2)
        .body(Map.of("subject", "attacker", "scopes", List.of("r:profile")))
        .post("/v1/providers/" + provider + "/authorizations")
        .then()
        .statusCode(400)
        .body("code", org.hamcrest.Matchers.equalTo("return_url_required"));

    // a victim approves the attacker's link; the app's session on another instance is theirs
    sim.loginAs("victim");
    String phished = connect(app, 1, provider, "attacker");
    as(app, 2)
        .body(
            Map.of("confirmation", Flows.queryParam(phished, "confirmation"), "subject", "victim"))
        .post("/v1/authorizations/confirm")
        .then()
        .statusCode(409)
        .body("code", org.hamcrest.Matchers.equalTo("confirmation_mismatch"));
    assertEquals(1, sim.revocations(), "the victim's tokens were revoked upstream");
    tokenFor(app, 0, provider, "attacker").then().statusCode(404);

    sim.loginAs("user-9");
    String connected = connect(app, 0, provider, "user-9");
    tokenFor(app, 1, provider, "user-9").then().statusCode(404);
    as(app, 2)
        .body(
            Map.of(
                "confirmation", Flows.queryParam(connected, "confirmation"), "subject", "user-9"))
        .post("/v1/authorizations/confirm")
        .then()
        .statusCode(200)
        .body("id", org.hamcrest.Matchers.equalTo(Flows.queryParam(connected, "grant_id")));
    String token =
        tokenFor(app, 1, provider, "user-9").then().statusCode(200).extract().path("access_token");
    assertEquals("user-9", sim.accountOf(token));
    admin(0).delete("/v1/providers/" + provider + "?cascade=true").then().statusCode(204);
  }

  /** Creates a consumer with one allow rule through one instance; returns its API key. */
  private static String consumer(int instance, String name, Map<String, Object> rule) {
    return admin(instance)
        .body(Map.of("name", name, "role", "consumer", "allow", List.of(rule)))
        .post("/v1/callers")
        .then()
        .statusCode(201)
        .extract()
        .path("api_key");
  }

  /** Starts an authorization on one instance, approves it at the simulator, returns Location. */
  private static String connect(String apiKey, int instance, String provider, String subject) {
    String url =
        as(apiKey, instance)
            .body(
                Map.of(
                    "subject",
                    subject,
                    "scopes",
                    List.of("r:profile"),
                    "return_url",
                    "https://app.example.test/done"))
            .post("/v1/providers/" + provider + "/authorizations")
            .then()
            .statusCode(201)
            .extract()
            .path("authorization_url");
    return Flows.callbackLocation(Flows.followAuthorization(url));
  }

  private static io.restassured.response.Response tokenFor(
      String apiKey, int instance, String provider, String subject) {
    return as(apiKey, instance)
        .body(Map.of("provider_id", provider, "subject", subject))
        .post("/v1/tokens");
  }

  @Test
  void proxiedCallsOnEveryInstanceShareOneRefreshAfterTheApiRejectsTheToken() throws Exception {
    sim.reset();
    sim.latency(100);
    String provider = "cluster-proxy";
    Map<String, Object> definition = codeProvider();
    definition.put("api_base_url", sim.resourceServer().baseUrl());
    admin(0).body(definition).put("/v1/providers/" + provider).then().statusCode(201);
    admin(1)
        .body(Flows.grantImport("proxied-user", sim.issueRefreshTokenFor("r:profile")))
        .post("/v1/providers/" + provider + "/grants")
        .then()
        .statusCode(201);
    String app =
        consumer(
            2,
            "proxy-app",
            Map.of(
                "provider_id", provider,
                "subjects", List.of("*"),
                "scopes", List.of("r:*"),
                "methods", List.of("GET"),
                "paths", List.of("/v2/backpack/**")));
    for (int i = 0; i < brokers.size(); i++) {
      proxied(app, i, provider, "/v2/backpack/assertions").then().statusCode(201);
      proxied(app, i, provider, "/v2/issuers").then().statusCode(403);
    }
    String first =
        accessToken(
            post(
                0,
                "/v1/tokens",
                "{\"provider_id\":\"" + provider + "\",\"subject\":\"proxied-user\"}"));
    int refreshes = refreshesOfTheOneFamily();
    Thread.sleep(5_100); // older than the brokers' 5-s rejected-token-min-interval (their clock)
    sim.revokeAccessToken(first);

    AtomicInteger next = new AtomicInteger();
    for (io.restassured.response.Response answer :
        Concurrently.run(
            30,
            () ->
                proxied(
                    app,
                    next.getAndIncrement() % brokers.size(),
                    provider,
                    "/v2/backpack/assertions/a-1"))) {
      assertEquals(201, answer.statusCode(), answer.asString());
    }
    assertEquals(refreshes + 1, refreshesOfTheOneFamily(), "one refresh cluster-wide");
    assertEquals(0, sim.reuseDetections());

    // a 429 of the API through one instance holds the provider on the others too
    sim.resourceServer().answerTooManyRequests(60);
    proxied(app, 0, provider, "/v2/backpack/assertions").then().statusCode(429);
    int calls = sim.resourceServer().calls();
    Thread.sleep(1_100); // past broker.upstream.hold-recheck: the others read the hold again
    for (int i = 0; i < brokers.size(); i++) {
      proxied(app, i, provider, "/v2/backpack/assertions")
          .then()
          .statusCode(429)
          .header("Token-Broker-Error", "true")
          .body("code", org.hamcrest.Matchers.equalTo("rate_limited"));
    }
    assertEquals(calls, sim.resourceServer().calls(), "no instance sent a held call");
    admin(0).delete("/v1/providers/" + provider + "?cascade=true").then().statusCode(204);
  }

  private static io.restassured.response.Response proxied(
      String apiKey, int instance, String provider, String path) {
    return as(apiKey, instance)
        .header("Token-Broker-Subject", "proxied-user")
        .get("/v1/proxy/" + provider + path);
  }

  @Test
  void productionLogsAreJsonLinesWithRequestIdsAndNoSecret() {
    // traffic of its own on every instance, whichever tests ran before
    for (int i = 0; i < brokers.size(); i++) {
      String provider = "cluster-logs-" + i;
      admin(i).body(codeProvider()).put("/v1/providers/" + provider).then().statusCode(201);
      for (int user = 0; user < 5; user++) {
        String subject = "logged-user-" + user;
        admin(i)
            .body(Flows.grantImport(subject, sim.issueRefreshTokenFor("r:profile")))
            .post("/v1/providers/" + provider + "/grants")
            .then()
            .statusCode(201);
        admin(i)
            .body(Map.of("provider_id", provider, "subject", subject))
            .post("/v1/tokens")
            .then()
            .statusCode(200);
      }
    }
    for (BrokerProcess broker : brokers) {
      String output = broker.output();
      List<String> lines = output.lines().filter(l -> !l.isBlank()).toList();
      List<String> notJson = lines.stream().filter(l -> !l.startsWith("{")).toList();
      assertTrue(lines.size() - notJson.size() > 10, "JSON log lines: " + lines.size());
      assertTrue(notJson.size() <= 3, "lines that are not JSON: " + notJson);
      for (String line : lines) {
        if (line.startsWith("{")) {
          io.restassured.path.json.JsonPath.from(line).getString("level");
        }
      }
      assertTrue(output.contains("\"request_id\""), "request ids in the MDC");
      for (String secret : sim.issuedSecrets()) {
        assertFalse(output.contains(secret), "an issued token or code reached the log");
      }
      assertFalse(output.contains(sim.clientSecret()), "the client secret reached the log");
      assertFalse(output.contains(ADMIN_KEY), "the admin key reached the log");
    }
  }

  @Test
  void prodProfileRefusesToStartWithoutKeySource() throws Exception {
    Map<String, String> env = new HashMap<>(database());
    env.put("BROKER_ADMIN_API_KEY", ADMIN_KEY);
    try (BrokerProcess broker = BrokerProcess.start("no-keys", env)) {
      assertNotEquals(0, broker.awaitExit(Duration.ofSeconds(60)));
      assertTrue(broker.output().contains("No encryption key"), broker.output());
      assertTrue(broker.output().contains("BROKER_CRYPTO_LOCAL_KEYS"));
    }
  }

  @Test
  void aUriThatJavaNetUriRefusesIsAnsweredAsProblemJsonByThePackagedJar() throws Exception {
    // Quarkus' own URI check would answer these with an empty 400: api.BrokerMain turns it off
    // before Quarkus starts, and api.HttpLimits refuses them as problem+json instead
    int port = URI.create(brokers.get(0).baseUrl()).getPort();
    for (String target : List.of("/v1/grants/grt_a\\b", "/v1/grants?cursor=a|b")) {
      String answer =
          RawHttp.send(
              port,
              "GET "
                  + target
                  + " HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer "
                  + ADMIN_KEY
                  + "\r\n\r\n");
      RawHttp.assertProblem(answer, 400, target);
      assertTrue(answer.contains("\"code\":\"invalid_request\""), target + " -> " + answer);
    }
  }

  @Test
  void prodProfileRefusesToServeItsApiAndManagementInterfaceOnOnePort() throws Exception {
    Map<String, String> env =
        new HashMap<>(BrokerProcess.productionEnvironment(postgres, ADMIN_KEY));
    String shared = String.valueOf(FreePorts.reserve());
    env.put("QUARKUS_HTTP_PORT", shared);
    env.put("QUARKUS_MANAGEMENT_PORT", shared);
    try (BrokerProcess broker = BrokerProcess.start("one-port", env)) {
      assertNotEquals(0, broker.awaitExit(Duration.ofSeconds(60)));
      assertTrue(broker.output().contains("give the management interface a port"), broker.output());
    }
  }

  @Test
  void prodProfileRefusesToStartWithoutDatasource() throws Exception {
    try (BrokerProcess broker =
        BrokerProcess.start("no-db", Map.of("BROKER_ADMIN_API_KEY", ADMIN_KEY))) {
      assertNotEquals(0, broker.awaitExit(Duration.ofSeconds(60)));
      assertTrue(broker.output().contains("quarkus.datasource.jdbc.url"), broker.output());
    }
  }

  /** An authorization_code provider on the simulator. */
  private static Map<String, Object> codeProvider() {
    return Flows.simulatorCodeProvider(sim);
  }

  private static Set<String> tokensFromAll(String provider, int callers) throws Exception {
    AtomicInteger next = new AtomicInteger();
    String body =
        "{\"provider_id\":\""
            + provider
            + "\",\"subject\":\"shared-user\",\"min_validity_seconds\":0}";
    List<HttpResponse<String>> responses =
        Concurrently.run(
            callers, () -> post(next.getAndIncrement() % brokers.size(), "/v1/tokens", body));
    Set<String> tokens = new HashSet<>();
    for (HttpResponse<String> response : responses) {
      assertEquals(200, response.statusCode(), response.body());
      tokens.add(io.restassured.path.json.JsonPath.from(response.body()).getString("access_token"));
    }
    return tokens;
  }

  /** Lets all JVMs and the client load their classes before anything is timed. */
  private static void warmUp() throws Exception {
    AtomicInteger next = new AtomicInteger();
    Concurrently.run(200, () -> post(next.getAndIncrement() % brokers.size(), "/v1/tokens", "{}"));
  }

  private static HttpResponse<String> tokenAfterTheStorm(int instance, String body)
      throws Exception {
    long deadline = System.currentTimeMillis() + 30_000;
    HttpResponse<String> response = post(instance, "/v1/tokens", body);
    while (response.statusCode() == 503 && System.currentTimeMillis() < deadline) {
      long seconds = response.headers().firstValueAsLong("Retry-After").orElse(1);
      Thread.sleep(Math.min(seconds, 5) * 1_000);
      response = post(instance, "/v1/tokens", body);
    }
    return response;
  }

  private static HttpResponse<String> post(int instance, String path, String json)
      throws Exception {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(brokers.get(instance).baseUrl() + path))
            .header("Authorization", "Bearer " + ADMIN_KEY)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(json))
            .build();
    return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
  }

  private static io.restassured.specification.RequestSpecification admin(int instance) {
    return as(ADMIN_KEY, instance);
  }

  private static io.restassured.specification.RequestSpecification as(String apiKey, int instance) {
    return given()
        .baseUri(brokers.get(instance).baseUrl())
        .header("Authorization", "Bearer " + apiKey)
        .contentType(ContentType.JSON);
  }

  private static Map<String, String> database() {
    return Map.of(
        "QUARKUS_DATASOURCE_JDBC_URL", postgres.getJdbcUrl("postgres", "postgres"),
        "QUARKUS_DATASOURCE_USERNAME", "postgres",
        "QUARKUS_DATASOURCE_PASSWORD", "postgres");
  }
}
