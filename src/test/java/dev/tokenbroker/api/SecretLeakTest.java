package dev.tokenbroker.api;

import static dev.tokenbroker.support.Api.admin;
import static dev.tokenbroker.support.Api.as;
import static dev.tokenbroker.support.Api.unique;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tokenbroker.support.LogCapture;
import dev.tokenbroker.support.SecretLeakGuard;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** No response body and no log line carries a client secret or an API key that was sent in. */
@QuarkusTest
@ExtendWith(SecretLeakGuard.class)
class SecretLeakTest {

  private LogCapture logs;

  @BeforeEach
  void captureLogs() {
    logs = LogCapture.start();
  }

  @AfterEach
  void stopCapturing() {
    logs.close();
  }

  @Test
  void secretsSentInNeverComeBackOrReachTheLog() {
    String clientSecret = "cs-" + unique("very-secret-client-value");
    List<Response> responses = new ArrayList<>();

    Map<String, Object> provider = dev.tokenbroker.support.Api.genericProvider();
    provider.put("client_secret", clientSecret);
    String id = unique("leak");
    responses.add(admin().body(provider).put("/v1/providers/" + id));
    responses.add(admin().body(provider).put("/v1/providers/" + id));
    provider.put("token_url", "not-a-url");
    responses.add(admin().body(provider).put("/v1/providers/" + id));
    provider.put("client_secret", 42);
    responses.add(admin().body(provider).put("/v1/providers/" + id));
    responses.add(admin().get("/v1/providers/" + id));
    responses.add(admin().get("/v1/providers"));

    Response created =
        admin().body(Map.of("name", unique("leaky"), "role", "admin")).post("/v1/callers");
    String apiKey = created.path("api_key");
    String keyId = created.path("key_id");
    responses.add(as(apiKey).get("/v1/callers"));
    responses.add(as(apiKey).get("/v1/callers/" + created.path("id")));
    String forged = apiKey.substring(0, apiKey.length() - 3) + "xyz";
    responses.add(as(forged).get("/v1/callers"));
    responses.add(as(apiKey + "x").get("/v1/callers"));

    for (Response response : responses) {
      String body = response.asString();
      assertFalse(body.contains(clientSecret), "client secret in a response: " + body);
      assertFalse(body.contains(apiKey.substring(4 + 16 + 1)), "API key secret in a response");
      assertFalse(body.contains(forged.substring(4 + 16 + 1)), "presented key in a response");
    }
    List<String> logLines = logs.lines();
    assertTrue(logLines.stream().anyMatch(l -> l.contains(keyId)), "the log names key ids");
    for (String line : logLines) {
      assertFalse(line.contains(clientSecret), "client secret in the log: " + line);
      assertFalse(line.contains(apiKey.substring(4 + 16 + 1)), "API key in the log: " + line);
      assertFalse(line.contains(forged.substring(4 + 16 + 1)), "presented key in the log: " + line);
      assertFalse(line.contains(dev.tokenbroker.support.Api.ADMIN_KEY), "admin key in the log");
    }
  }
}
