package dev.tokenbroker.provider;

import static dev.tokenbroker.support.Api.admin;
import static dev.tokenbroker.support.Api.unique;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tokenbroker.simulator.InjectSimulator;
import dev.tokenbroker.simulator.ProviderSimulator;
import dev.tokenbroker.simulator.ProviderSimulator.Platform;
import dev.tokenbroker.simulator.ProviderSimulatorResource;
import dev.tokenbroker.support.Api;
import dev.tokenbroker.support.ClockSleeper;
import dev.tokenbroker.support.Flows;
import dev.tokenbroker.support.SettableClockProducer;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Open Badge Factory issues a client one token per ten seconds. The broker waits for the slot
 * through its {@code Sleeper}, which here moves the clock that the broker and the simulator share:
 * the simulator sees the ten seconds pass, and the test does not wait them.
 */
@QuarkusTest
@TestProfile(OpenBadgeFactoryPacingTest.VirtualTime.class)
class OpenBadgeFactoryPacingTest {

  /** The simulator; the broker's clock settable, its waits moving it. */
  public static class VirtualTime implements QuarkusTestProfile {
    @Override
    public Set<Class<?>> getEnabledAlternatives() {
      return Set.of(SettableClockProducer.class, ClockSleeper.class);
    }

    @Override
    public Map<String, String> getConfigOverrides() {
      return Map.of("test.clock.frozen", "true");
    }

    @Override
    public List<TestResourceEntry> testResources() {
      return List.of(new TestResourceEntry(ProviderSimulatorResource.class));
    }
  }

  @InjectSimulator ProviderSimulator sim;

  @Inject Clock clock;

  @BeforeEach
  void reset() {
    sim.reset();
    sim.clock(clock);
  }

  @Test
  void openBadgeFactoryIsPacedPerClientAcrossProvidersSharingIt() {
    sim.behaveAs(Platform.OPEN_BADGE_FACTORY);
    String staging = unique("obf-staging");
    String production = unique("obf-production");
    admin().body(obf("client_secret_post")).put("/v1/providers/" + staging).then().statusCode(201);
    admin()
        .body(obf("client_secret_post"))
        .put("/v1/providers/" + production)
        .then()
        .statusCode(201);
    clientToken(staging).then().statusCode(200);
    // the second provider's request waits for the client's next slot, ten seconds on
    clientToken(production).then().statusCode(200);
    assertEquals(2, sim.tokenCalls("client_credentials"));
    assertEquals(0, sim.issueIntervalViolations(), "the client's limit was broken");
    assertTrue(sim.minimumGapMillis() >= 9_900, "gap " + sim.minimumGapMillis() + " ms");
  }

  @Test
  void openBadgeFactoryNeverGetsTwoTokensWithinTenSeconds() {
    sim.behaveAs(Platform.OPEN_BADGE_FACTORY);
    String provider = unique("obf-interval");
    admin().body(obf("client_secret_post")).put("/v1/providers/" + provider).then().statusCode(201);
    String consumer = Api.consumer(unique("issuer"), provider, List.of("*"));
    String grantId = Flows.clientCredentialsGrant(consumer, provider);
    admin().post("/v1/grants/" + grantId + "/refresh").then().statusCode(200);
    assertEquals(2, sim.tokenCalls("client_credentials"));
    assertEquals(0, sim.issueIntervalViolations(), "the broker broke the one-per-10-s rule");
    assertTrue(sim.minimumGapMillis() >= 10_000, "gap " + sim.minimumGapMillis() + " ms");
  }

  private static io.restassured.response.Response clientToken(String provider) {
    return admin().body(Map.of("provider_id", provider)).post("/v1/tokens");
  }

  private Map<String, Object> obf(String authMethod) {
    return Flows.openBadgeFactory(sim, authMethod);
  }
}
