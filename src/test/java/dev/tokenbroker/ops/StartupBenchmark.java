package dev.tokenbroker.ops;

import static io.restassured.RestAssured.given;

import dev.tokenbroker.support.BrokerProcess;
import io.restassured.http.ContentType;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Start to ready and memory of the packaged jar on PostgreSQL (issue 14, P4): one start that
 * migrates an empty database, then timed restarts (process launch to the first 200 of {@code
 * /q/health/ready}), idle RSS, and RSS while clients ask for cached tokens. JVM options come from
 * {@code bench.jvm}, the launcher from {@code bench.java} (default: this JVM's). With {@code
 * bench.cache=appcds} or {@code aot} (JDK 25+) the first start records an AppCDS archive or an AOT
 * cache that the restarts use. Not part of the suite; {@code bench/startup.sh} runs it.
 */
class StartupBenchmark {

  private static final String ADMIN_KEY = "bench-admin-key-0123456789abcdefghijklmno";

  private final int restarts = Integer.getInteger("bench.restarts", 5);
  private final int clients = Integer.getInteger("bench.clients", 32);
  private final int loadSeconds = Integer.getInteger("bench.load-seconds", 30);
  private final String launcher =
      System.getProperty("bench.java", "").isBlank()
          ? ProcessHandle.current().info().command().orElse("java")
          : System.getProperty("bench.java");

  @Test
  void startToReadyAndResidentMemory() throws Exception {
    List<String> jvm = BrokerProcess.jvmOptions(System.getProperty("bench.jvm", ""));
    List<String> training = jvm;
    String cache = System.getProperty("bench.cache", "none");
    if (cache.equals("appcds")) {
      // a dynamic AppCDS archive of the classes the first start loaded (JDK 13+), used after it
      Path archive = Path.of("target", "startup-app-cds.jsa").toAbsolutePath();
      Files.deleteIfExists(archive);
      training = with(jvm, "-XX:ArchiveClassesAtExit=" + archive);
      jvm = with(jvm, "-XX:SharedArchiveFile=" + archive);
    } else if (cache.equals("aot")) {
      // a JEP 483/515 AOT cache (JDK 25+) of the first start, assembled when it exits
      Path archive = Path.of("target", "startup-app.aot").toAbsolutePath();
      Files.deleteIfExists(archive);
      training = with(jvm, "-XX:AOTCacheOutput=" + archive);
      jvm = with(jvm, "-XX:AOTCache=" + archive);
    } else {
      // the JDK's own class-data archive only (its default), not the one the build leaves
      jvm = with(jvm, "-Xshare:auto");
      training = jvm;
    }
    try (EmbeddedPostgres postgres = EmbeddedPostgres.builder().start()) {
      Map<String, String> env = environment(postgres);
      try (BrokerProcess migrating = BrokerProcess.start("startup", env, training, launcher)) {
        migrating.awaitReady(Duration.ofSeconds(120));
        migrating.stop(Duration.ofSeconds(180));
      }
      List<Long> readyMillis = new ArrayList<>();
      List<Long> cpuMillis = new ArrayList<>();
      for (int i = 1; i <= restarts; i++) {
        long launched = System.nanoTime();
        try (BrokerProcess broker = BrokerProcess.start("startup", env, jvm, launcher)) {
          broker.awaitReady(Duration.ofSeconds(60), Duration.ofMillis(5));
          readyMillis.add((System.nanoTime() - launched) / 1_000_000);
          cpuMillis.add(broker.cpuMillis());
          if (i == restarts) {
            measureMemory(broker, jvm, readyMillis, cpuMillis);
          }
        }
      }
    }
  }

  private static List<String> with(List<String> options, String option) {
    List<String> all = new ArrayList<>(options);
    all.add(option);
    return all;
  }

  private void measureMemory(
      BrokerProcess broker, List<String> jvm, List<Long> readyMillis, List<Long> cpuMillis)
      throws Exception {
    long rssReady = broker.rssMebibytes();
    Thread.sleep(10_000);
    long rssIdle = broker.rssMebibytes();
    String consumerKey = cachedTokenFor(broker);
    AtomicLong served = new AtomicLong();
    long peak = 0;
    ExecutorService pool = Executors.newFixedThreadPool(clients);
    long end = System.nanoTime() + Duration.ofSeconds(loadSeconds).toNanos();
    HttpClient http = HttpClient.newHttpClient();
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(broker.baseUrl() + "/v1/tokens"))
            .header("Authorization", "Bearer " + consumerKey)
            .header("Content-Type", "application/json")
            .POST(
                HttpRequest.BodyPublishers.ofString(
                    "{\"provider_id\": \"bench\", \"subject\": \"user-1\"}"))
            .build();
    List<Future<?>> running = new ArrayList<>();
    for (int i = 0; i < clients; i++) {
      running.add(
          pool.submit(
              () -> {
                while (System.nanoTime() < end) {
                  if (http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode()
                      == 200) {
                    served.incrementAndGet();
                  }
                }
                return null;
              }));
    }
    while (System.nanoTime() < end) {
      Thread.sleep(200);
      peak = Math.max(peak, broker.rssMebibytes());
    }
    for (Future<?> client : running) {
      client.get();
    }
    pool.shutdown();
    System.out.printf(
        "%nBENCH java: %s%n"
            + "BENCH JVM options: %s%n"
            + "BENCH start to ready (ms), restart 1..%d on a migrated database: %s%n"
            + "BENCH CPU used by then (ms, user + system): %s%n"
            + "BENCH RSS %d MiB at ready, %d MiB idle 10 s later, %d MiB peak under load"
            + " (%d clients, %d s, %,d cached tokens served)%n",
        launcher,
        jvm.isEmpty() ? "(none)" : String.join(" ", jvm),
        restarts,
        readyMillis,
        cpuMillis,
        rssReady,
        rssIdle,
        peak,
        clients,
        loadSeconds,
        served.get());
  }

  /** A provider, a grant holding a valid access token, and a consumer allowed to read it. */
  private static String cachedTokenFor(BrokerProcess broker) {
    admin(broker)
        .body(
            Map.of(
                "grant_type", "authorization_code",
                "authorization_url", "https://idp.example.test/authorize",
                "token_url", "https://idp.example.test/token",
                "client_id", "bench",
                "client_secret", "bench-secret"))
        .put("/v1/providers/bench")
        .then()
        .statusCode(201);
    admin(broker)
        .body(
            Map.of(
                "subject", "user-1",
                "refresh_token", "rt",
                "scopes", List.of("read"),
                "access_token", "at-bench",
                "expires_in", 86400))
        .post("/v1/providers/bench/grants")
        .then()
        .statusCode(201);
    return admin(broker)
        .body(
            Map.of(
                "name",
                "bench",
                "role",
                "consumer",
                "allow",
                List.of(
                    Map.of(
                        "provider_id", "bench", "subjects", List.of("*"), "scopes", List.of("*")))))
        .post("/v1/callers")
        .then()
        .statusCode(201)
        .extract()
        .path("api_key");
  }

  private static io.restassured.specification.RequestSpecification admin(BrokerProcess broker) {
    return given()
        .baseUri(broker.baseUrl())
        .header("Authorization", "Bearer " + ADMIN_KEY)
        .contentType(ContentType.JSON);
  }

  private static Map<String, String> environment(EmbeddedPostgres postgres) {
    Map<String, String> env =
        new HashMap<>(BrokerProcess.productionEnvironment(postgres, ADMIN_KEY));
    env.put("BROKER_RATE_LIMIT_ENABLED", "false");
    return env;
  }
}
