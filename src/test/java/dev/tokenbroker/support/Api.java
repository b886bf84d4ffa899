package dev.tokenbroker.support;

import static io.restassured.RestAssured.given;

import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.config.ConfigProvider;

/** Request helpers for tests that drive the broker through its public HTTP API. */
public final class Api {

  public static final String ADMIN_KEY = "test-admin-key-0123456789abcdefghijklmnop";

  private Api() {}

  /**
   * A request to the management interface (health, metrics, the OpenAPI document) of the broker
   * under test.
   */
  public static RequestSpecification management() {
    return given()
        .port(
            managementPort != 0
                ? managementPort
                : ConfigProvider.getConfig()
                    .getValue("quarkus.management.test-port", Integer.class));
  }

  /** Set by tests that drive a packaged broker instead of the one {@code @QuarkusTest} starts. */
  public static volatile int managementPort;

  public static RequestSpecification admin() {
    return as(ADMIN_KEY);
  }

  public static RequestSpecification as(String apiKey) {
    return given().header("Authorization", "Bearer " + apiKey).contentType(ContentType.JSON);
  }

  /** Creates a consumer with one allow rule and returns its API key. */
  public static String consumer(String name, String providerId, List<String> scopes) {
    return (String) createCaller(consumerBody(name, providerId, scopes)).get("api_key");
  }

  /** A consumer with one allow rule for any subject, mutable for variations. */
  public static Map<String, Object> consumerBody(
      String name, String providerId, List<String> scopes) {
    Map<String, Object> body = new HashMap<>();
    body.put("name", name);
    body.put("role", "consumer");
    body.put(
        "allow",
        List.of(Map.of("provider_id", providerId, "subjects", List.of("*"), "scopes", scopes)));
    return body;
  }

  /** Creates a caller and returns the reply: its id, its first API key and the rest. */
  @SuppressWarnings("unchecked")
  public static Map<String, Object> createCaller(Map<String, Object> body) {
    return admin().body(body).post("/v1/callers").then().statusCode(201).extract().as(Map.class);
  }

  /** A valid generic authorization_code provider definition, mutable for variations. */
  public static Map<String, Object> genericProvider() {
    Map<String, Object> body = new HashMap<>();
    body.put("preset", "generic");
    body.put("grant_type", "authorization_code");
    body.put("authorization_url", "https://idp.example.test/authorize");
    body.put("token_url", "https://idp.example.test/token");
    body.put("client_id", "broker-client");
    body.put("client_secret", "generic-client-secret-value");
    body.put("scopes", List.of("openid", "profile", "users:userdata:*"));
    body.put("default_scopes", List.of("openid"));
    return body;
  }

  public static String unique(String prefix) {
    return prefix + "-" + Long.toString(System.nanoTime(), 36);
  }
}
