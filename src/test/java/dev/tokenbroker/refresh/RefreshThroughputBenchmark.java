package dev.tokenbroker.refresh;

import static io.restassured.RestAssured.given;

import dev.tokenbroker.crypto.LocalAesGcmCipher;
import dev.tokenbroker.crypto.LocalKeyRing;
import dev.tokenbroker.crypto.SecretBinding;
import dev.tokenbroker.simulator.ProviderSimulator;
import dev.tokenbroker.support.BrokerProcess;
import dev.tokenbroker.support.Flows;
import io.restassured.http.ContentType;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.net.HttpURLConnection;
import java.net.URI;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.postgresql.PGConnection;

/**
 * How fast one broker replica (the packaged jar, its own JVM) refreshes grants that all come due at
 * once, on PostgreSQL, against the simulator in this JVM answering each refresh after a latency.
 * Prints the simulator's own ceiling with the same number of plain concurrent clients, the broker's
 * rate as a ratio of it, CPU per refresh, RSS, and the due-grant scan's plan. Not part of the suite
 * (the name does not end in IT); {@code bench/refresh-throughput.sh} runs it.
 */
class RefreshThroughputBenchmark {

  private static final String ADMIN_KEY = "bench-admin-key-0123456789abcdefghijklmno";
  private static final String PROVIDER = "bench";
  // not RestAssured's JsonPath: its Groovy evaluation, not the simulator, bounded the ceiling
  private static final Pattern REFRESH_TOKEN =
      Pattern.compile("\"refresh_token\"\\s*:\\s*\"([^\"]+)\"");

  private final int stored = Integer.getInteger("bench.grants", 100_000);
  private final int due = Integer.getInteger("bench.due", Math.min(stored, 100_000));
  private final long latency = Long.getLong("bench.latency-ms", 50);
  private final int inFlight = Integer.getInteger("bench.concurrency", 64);

  @Test
  void refreshesPerSecondWhenManyGrantsComeDueTogether() throws Exception {
    try (EmbeddedPostgres postgres = EmbeddedPostgres.builder().start();
        ProviderSimulator sim = new ProviderSimulator()) {
      sim.latency(latency).accessTokenLifetime(3600);
      double ceiling = simulatorCeiling(sim, Duration.ofSeconds(10));
      sim.reset();
      sim.latency(latency).accessTokenLifetime(3600);

      byte[] key = new byte[32];
      new SecureRandom().nextBytes(key);
      String keyEntry = "1:" + Base64.getEncoder().encodeToString(key);
      Map<String, String> env = new HashMap<>();
      env.put("QUARKUS_DATASOURCE_JDBC_URL", postgres.getJdbcUrl("postgres", "postgres"));
      env.put("QUARKUS_DATASOURCE_USERNAME", "postgres");
      env.put("QUARKUS_DATASOURCE_PASSWORD", "postgres");
      env.put("BROKER_ADMIN_API_KEY", ADMIN_KEY);
      env.put("BROKER_CRYPTO_LOCAL_KEYS", keyEntry);
      env.put("BROKER_REFRESH_PROACTIVE_CONCURRENCY", String.valueOf(inFlight));
      List<String> jvm = BrokerProcess.jvmOptions(System.getProperty("bench.jvm", ""));
      try (BrokerProcess broker = BrokerProcess.start("bench", env, jvm)) {
        broker.awaitReady(Duration.ofSeconds(120));
        registerProvider(broker, sim);
        long rssEmpty = broker.rssMebibytes();
        long seedStart = System.nanoTime();
        try (Connection db = postgres.getPostgresDatabase().getConnection()) {
          seed(
              db,
              sim,
              new LocalAesGcmCipher(LocalKeyRing.parse(List.of(keyEntry), OptionalInt.empty())));
          double seedSeconds = (System.nanoTime() - seedStart) / 1e9;
          String plan = explainDueScan(db);
          Thread.sleep(3_000);
          long rssSeeded = broker.rssMebibytes();
          long cpuBefore = broker.cpuMillis();
          long start = System.nanoTime();
          try (Statement statement = db.createStatement()) {
            statement.executeUpdate(
                "update oauth_grant set next_refresh_at = now() - interval '1 minute'"
                    + " where subject < 'due-~'");
          }
          long tenth = 0;
          long ninetieth = 0;
          long rssPeak = 0;
          while (sim.tokenCalls("refresh_token") < due
              && (System.nanoTime() - start) / 1e9 < Integer.getInteger("bench.max-seconds", 900)) {
            Thread.sleep(200);
            int done = sim.tokenCalls("refresh_token");
            if (tenth == 0 && done >= due / 10) {
              tenth = System.nanoTime();
            }
            if (ninetieth == 0 && done >= due * 9L / 10) {
              ninetieth = System.nanoTime();
            }
            rssPeak = Math.max(rssPeak, broker.rssMebibytes());
          }
          double seconds = (System.nanoTime() - start) / 1e9;
          long cpu = broker.cpuMillis() - cpuBefore;
          int refreshed = sim.tokenCalls("refresh_token");
          double rate = refreshed / seconds;
          double steady =
              ninetieth > tenth && tenth > 0 ? (due * 0.8) / ((ninetieth - tenth) / 1e9) : rate;
          System.out.printf(
              "%nBENCH stored %,d grants (seeded in %.1f s), %,d due, provider latency %d ms,"
                  + " %d in flight%n"
                  + "BENCH simulator ceiling with %d plain clients: %.1f refreshes/s%n"
                  + "BENCH broker refreshed %,d in %.1f s = %.1f refreshes/s (%.2f of the"
                  + " ceiling); 10%%-90%%: %.1f/s (%.2f)%n"
                  + "BENCH broker CPU %.2f ms per refresh; reuse detections %d%n"
                  + "BENCH RSS %d MiB empty, %d MiB with the grants stored, %d MiB peak while"
                  + " refreshing%n"
                  + "BENCH due-grant scan plan:%n%s%n",
              stored,
              seedSeconds,
              due,
              latency,
              inFlight,
              inFlight,
              ceiling,
              refreshed,
              seconds,
              rate,
              rate / ceiling,
              steady,
              steady / ceiling,
              (double) cpu / Math.max(1, refreshed),
              sim.reuseDetections(),
              rssEmpty,
              rssSeeded,
              rssPeak,
              plan);
        }
      }
    }
  }

  /** Refreshes/s that {@code inFlight} plain clients get from the simulator, each call new. */
  private double simulatorCeiling(ProviderSimulator sim, Duration duration) throws Exception {
    ExecutorService clients = Executors.newFixedThreadPool(inFlight);
    AtomicInteger ok = new AtomicInteger();
    long end = System.nanoTime() + duration.toNanos();
    String basic =
        Base64.getEncoder()
            .encodeToString(
                (sim.clientId() + ":" + sim.clientSecret()).getBytes(StandardCharsets.UTF_8));
    URL token = URI.create(sim.baseUrl() + "/token").toURL();
    List<java.util.concurrent.Future<?>> running = new ArrayList<>();
    for (int i = 0; i < inFlight; i++) {
      running.add(
          clients.submit(
              () -> {
                String refreshToken = sim.issueRefreshTokenFor("r:profile");
                while (System.nanoTime() < end) {
                  HttpURLConnection call = (HttpURLConnection) token.openConnection();
                  call.setRequestMethod("POST");
                  call.setDoOutput(true);
                  call.setRequestProperty("Authorization", "Basic " + basic);
                  call.setRequestProperty("Content-Type", "application/x-www-form-urlencoded");
                  try (var body = call.getOutputStream()) {
                    body.write(
                        ("grant_type=refresh_token&refresh_token=" + refreshToken)
                            .getBytes(StandardCharsets.UTF_8));
                  }
                  if (call.getResponseCode() == 200) {
                    try (var answer = call.getInputStream()) {
                      ok.incrementAndGet();
                      Matcher rotated =
                          REFRESH_TOKEN.matcher(
                              new String(answer.readAllBytes(), StandardCharsets.UTF_8));
                      refreshToken = rotated.find() ? rotated.group(1) : refreshToken;
                    }
                  }
                }
                return null;
              }));
    }
    long start = System.nanoTime();
    for (var client : running) {
      client.get();
    }
    clients.shutdown();
    return ok.get() / ((System.nanoTime() - start) / 1e9);
  }

  private void registerProvider(BrokerProcess broker, ProviderSimulator sim) {
    Map<String, Object> definition = Flows.simulatorCodeProvider(sim);
    definition.put("max_concurrent_refreshes", inFlight);
    given()
        .baseUri(broker.baseUrl())
        .header("Authorization", "Bearer " + ADMIN_KEY)
        .contentType(ContentType.JSON)
        .body(definition)
        .put("/v1/providers/" + PROVIDER)
        .then()
        .statusCode(201);
  }

  /**
   * Rows sealed with the broker's own cipher and key, loaded with COPY: the first {@code due}
   * subjects ("due-…") come due later, the others ("rest-…") are refreshed in an hour.
   */
  private void seed(Connection db, ProviderSimulator sim, LocalAesGcmCipher cipher)
      throws Exception {
    Path rows = Files.createTempFile("grants", ".csv");
    String now = Instant.now().toString();
    String later = Instant.now().plusSeconds(3600).toString();
    SecureRandom random = new SecureRandom();
    try (var out = Files.newBufferedWriter(rows)) {
      for (int i = 0; i < stored; i++) {
        String id = "grt_bench" + Long.toHexString(random.nextLong()) + i;
        String subject = (i < due ? "due-" : "rest-") + String.format("%07d", i);
        String sealed =
            cipher.encrypt(
                sim.issueRefreshTokenFor("r:profile"),
                SecretBinding.of("oauth_grant", id, "refresh_token"));
        out.write(
            String.join(
                ",",
                id,
                PROVIDER,
                subject,
                "r:profile",
                "ACTIVE",
                sealed,
                later,
                now,
                now,
                "0",
                "0",
                "0"));
        out.write('\n');
      }
    }
    db.unwrap(PGConnection.class)
        .getCopyAPI()
        .copyIn(
            "copy oauth_grant (id, provider_id, subject, scopes, status, refresh_token_ct,"
                + " next_refresh_at, created_at, updated_at, version, refresh_failures,"
                + " refresh_token_generation) from stdin with (format csv)",
            Files.newBufferedReader(rows));
    Files.delete(rows);
    try (Statement statement = db.createStatement()) {
      statement.execute("analyze oauth_grant");
    }
  }

  private static String explainDueScan(Connection db) throws Exception {
    StringBuilder plan = new StringBuilder();
    try (Statement statement = db.createStatement();
        ResultSet rows =
            statement.executeQuery(
                "explain "
                    + dev.tokenbroker.refresh.lease.LeaseStore.DUE_GRANTS
                        .replace("?1", "now()")
                        .replace("?2", "200"))) {
      while (rows.next()) {
        plan.append("  ").append(rows.getString(1)).append('\n');
      }
    }
    return plan.toString();
  }
}
