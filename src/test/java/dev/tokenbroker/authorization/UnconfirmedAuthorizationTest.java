package dev.tokenbroker.authorization;

import static dev.tokenbroker.support.Api.as;
import static dev.tokenbroker.support.Api.unique;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tokenbroker.simulator.InjectSimulator;
import dev.tokenbroker.simulator.ProviderSimulator;
import dev.tokenbroker.support.Api;
import dev.tokenbroker.support.Flows;
import dev.tokenbroker.support.SimulatorProfile;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.net.URI;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code broker.authorization.allow-unconfirmed=true} (the dev default): the broker's own page. */
@QuarkusTest
@TestProfile(UnconfirmedAuthorizationTest.AllowUnconfirmed.class)
class UnconfirmedAuthorizationTest {

  public static class AllowUnconfirmed extends SimulatorProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      return Map.of("broker.authorization.allow-unconfirmed", "true");
    }
  }

  @InjectSimulator ProviderSimulator sim;

  @Test
  void withoutReturnUrlTheCallbackStoresTheGrantAndShowsAPage() {
    sim.reset();
    String provider = unique("page");
    Flows.registerCodeProvider(provider, sim, Map.of("pkce", "S256"));
    String app = Api.consumer(unique("app"), provider, List.of("r:*"));
    String url =
        as(app)
            .body(Map.of("subject", "user-3"))
            .post("/v1/providers/" + provider + "/authorizations")
            .then()
            .statusCode(201)
            .extract()
            .path("authorization_url");
    URI callback = URI.create(Flows.followAuthorization(url));
    given()
        .redirects()
        .follow(false)
        .urlEncodingEnabled(false)
        .get(callback.getRawPath() + "?" + callback.getRawQuery())
        .then()
        .statusCode(200)
        .contentType(containsString("text/html"))
        .header("Cache-Control", "no-store")
        .header("Referrer-Policy", "no-referrer")
        .body(containsString("data-status=\"connected\""))
        .body(not(containsString("confirmation")));
    String token =
        as(app)
            .body(Map.of("provider_id", provider, "subject", "user-3"))
            .post("/v1/tokens")
            .then()
            .statusCode(200)
            .extract()
            .path("access_token");
    assertEquals("sim-user", sim.accountOf(token));
  }
}
