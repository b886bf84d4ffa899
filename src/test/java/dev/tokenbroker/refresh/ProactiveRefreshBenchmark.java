package dev.tokenbroker.refresh;

import static dev.tokenbroker.support.Api.unique;

import dev.tokenbroker.grant.GrantSecrets;
import dev.tokenbroker.grant.GrantStore;
import dev.tokenbroker.grant.TokenWrite;
import dev.tokenbroker.simulator.InjectSimulator;
import dev.tokenbroker.simulator.ProviderSimulator;
import dev.tokenbroker.support.Flows;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * How fast one replica's scheduler refreshes grants that are all due at once, on PostgreSQL against
 * the simulator with a realistic provider latency. Not part of the suite (the name does not end in
 * Test); run it with {@code ./mvnw test -Dtest=ProactiveRefreshBenchmark -Dbench.grants=10000
 * -Dbench.latency-ms=100}.
 */
@QuarkusTest
@TestProfile(ProactiveRefreshTest.Proactive.class)
class ProactiveRefreshBenchmark {

  @InjectSimulator ProviderSimulator sim;
  @Inject GrantStore store;
  @Inject GrantSecrets secrets;
  @Inject ProactiveRefresher scheduler;

  @Test
  void refreshesPerSecondWhenManyGrantsComeDueTogether() throws Exception {
    int grants = Integer.getInteger("bench.grants", 2_000);
    long latency = Long.getLong("bench.latency-ms", 100);
    sim.reset();
    String provider = unique("bench");
    Flows.registerCodeProvider(provider, sim, Map.of());
    // seeded due one hour from now, so the scheduler starts only when all rows exist
    Instant later = Instant.now().plusSeconds(3600);
    long seedStart = System.nanoTime();
    for (int i = 0; i < grants; i++) {
      String refreshToken = sim.issueRefreshTokenFor("r:profile");
      store.upsert(
          provider,
          "bench-" + i,
          List.of("r:profile"),
          id ->
              new TokenWrite(
                  null,
                  secrets.seal(id, null, refreshToken).refreshToken(),
                  null,
                  later,
                  null,
                  later));
    }
    double seedSeconds = (System.nanoTime() - seedStart) / 1e9;
    sim.latency(latency);
    int before = scheduler.refreshedCount();
    long start = System.nanoTime();
    store.makeAllDue(provider);
    while (sim.tokenCalls("refresh_token") < grants) {
      Thread.sleep(200);
      if ((System.nanoTime() - start) / 1e9 > 900) {
        break;
      }
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    int refreshed = sim.tokenCalls("refresh_token");
    System.out.printf(
        "%nBENCH seeded %d grants in %.1f s; scheduler refreshed %d (this replica counted %d) in"
            + " %.1f s = %.1f refreshes/s at %d ms provider latency; reuse detections %d%n",
        grants,
        seedSeconds,
        refreshed,
        scheduler.refreshedCount() - before,
        seconds,
        refreshed / seconds,
        latency,
        sim.reuseDetections());
  }
}
