package dev.tokenbroker.support;

import static dev.tokenbroker.support.Api.admin;
import static io.restassured.RestAssured.given;

import dev.tokenbroker.simulator.ProviderSimulator;
import io.restassured.RestAssured;
import java.net.URI;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Multi-step API flows shared by tests: providers on the simulator, authorizations. */
public final class Flows {

  private Flows() {}

  /** Registers an authorization_code provider whose endpoints are the simulator's. */
  public static void registerCodeProvider(
      String id, ProviderSimulator sim, Map<String, Object> extra) {
    admin().body(codeProvider(sim, extra)).put("/v1/providers/" + id).then().statusCode(201);
  }

  /** The body of an authorization_code provider whose endpoints are the simulator's. */
  public static Map<String, Object> codeProvider(ProviderSimulator sim, Map<String, Object> extra) {
    Map<String, Object> body = simulatorCodeProvider(sim);
    body.put("preset", "generic");
    body.put("revocation_url", sim.baseUrl() + "/revoke");
    body.put("scopes", List.of("r:profile", "r:backpack", "rw:backpack"));
    body.put("default_scopes", List.of("r:profile"));
    body.put("redirect_uri", "http://localhost:" + RestAssured.port + "/v1/oauth/callback");
    body.putAll(extra);
    return body;
  }

  /**
   * The least an authorization_code provider on the simulator needs: its endpoints and client, no
   * scopes or redirect URI (a body any broker process accepts, also outside {@code @QuarkusTest}).
   */
  /** An Open Badge Factory provider (client_credentials) on the simulator's host. */
  public static Map<String, Object> openBadgeFactory(ProviderSimulator sim, String authMethod) {
    Map<String, Object> body = new java.util.HashMap<>();
    body.put("preset", "open-badge-factory");
    body.put("base_url", sim.baseUrl());
    body.put("client_id", sim.clientId());
    body.put("client_secret", sim.clientSecret());
    body.put("client_auth_method", authMethod);
    return body;
  }

  public static Map<String, Object> simulatorCodeProvider(ProviderSimulator sim) {
    Map<String, Object> body = new HashMap<>();
    body.put("grant_type", "authorization_code");
    body.put("authorization_url", sim.baseUrl() + "/authorize");
    body.put("token_url", sim.baseUrl() + "/token");
    body.put("client_id", sim.clientId());
    body.put("client_secret", sim.clientSecret());
    return body;
  }

  /** Imports a grant of r:profile for {@code subject} and returns its id. */
  public static String importGrant(String providerId, String subject, String refreshToken) {
    return admin()
        .body(grantImport(subject, refreshToken))
        .post("/v1/providers/" + providerId + "/grants")
        .then()
        .statusCode(201)
        .extract()
        .path("id");
  }

  /** A new generic provider (endpoints never called) with one imported grant; its id. */
  public static String grantAtANewProvider(String prefix) {
    String provider = Api.unique(prefix);
    admin().body(Api.genericProvider()).put("/v1/providers/" + provider).then().statusCode(201);
    return admin()
        .body(Map.of("subject", "s", "refresh_token", "rt", "scopes", List.of("openid")))
        .post("/v1/providers/" + provider + "/grants")
        .then()
        .statusCode(201)
        .extract()
        .path("id");
  }

  /** Body of {@code POST /v1/providers/{id}/grants}: a refresh token for r:profile. */
  public static Map<String, Object> grantImport(String subject, String refreshToken) {
    return Map.of(
        "subject", subject, "refresh_token", refreshToken, "scopes", List.of("r:profile"));
  }

  /**
   * Runs a whole authorization as a browser and the app would: start it, follow the simulator's
   * redirect back to the callback, and, when it connected, confirm the subject as the app at its
   * return URL does. Returns the callback's Location (with status, grant_id and confirmation).
   */
  public static String authorize(
      String providerId, String apiKey, String subject, List<String> scopes) {
    String location = authorizeUnconfirmed(providerId, apiKey, subject, scopes);
    String confirmation = queryParam(location, "confirmation");
    if (confirmation != null) {
      confirm(apiKey, confirmation, subject).statusCode(200);
    }
    return location;
  }

  /** {@code POST /v1/authorizations/confirm} as the caller of {@code apiKey}. */
  public static io.restassured.response.ValidatableResponse confirm(
      String apiKey, String confirmation, String subject) {
    return Api.as(apiKey)
        .body(Map.of("confirmation", confirmation, "subject", subject))
        .post("/v1/authorizations/confirm")
        .then();
  }

  /** As {@link #authorize}, without the app's confirmation: the tokens wait for it. */
  public static String authorizeUnconfirmed(
      String providerId, String apiKey, String subject, List<String> scopes) {
    Map<String, Object> start = new HashMap<>();
    start.put("subject", subject);
    start.put("scopes", scopes);
    start.put("return_url", "https://app.example.test/done");
    String authorizationUrl =
        Api.as(apiKey)
            .body(start)
            .post("/v1/providers/" + providerId + "/authorizations")
            .then()
            .statusCode(201)
            .extract()
            .path("authorization_url");
    String callback = followAuthorization(authorizationUrl);
    return callbackLocation(callback);
  }

  /** Authorizes {@code subject} for {@code r:profile} as the admin; returns the new grant's id. */
  public static String authorizedGrant(String providerId, String subject) {
    return queryParam(
        authorize(providerId, Api.ADMIN_KEY, subject, List.of("r:profile")), "grant_id");
  }

  /**
   * The grant of a client-credentials provider, which {@code consumerKey}'s first token request
   * creates; returns its id.
   */
  public static String clientCredentialsGrant(String consumerKey, String providerId) {
    return Api.as(consumerKey)
        .body(Map.of("provider_id", providerId))
        .post("/v1/tokens")
        .then()
        .statusCode(200)
        .extract()
        .path("grant_id");
  }

  /** GETs the authorization URL at the simulator and returns where it sends the browser. */
  public static String followAuthorization(String authorizationUrl) {
    return given()
        .redirects()
        .follow(false)
        .urlEncodingEnabled(false)
        .get(authorizationUrl)
        .then()
        .statusCode(302)
        .extract()
        .header("Location");
  }

  /** GETs the broker's callback URL (whichever broker it names) and returns the 303 Location. */
  public static String callbackLocation(String callbackUrl) {
    return given()
        .redirects()
        .follow(false)
        .urlEncodingEnabled(false)
        .get(callbackUrl)
        .then()
        .statusCode(303)
        .extract()
        .header("Location");
  }

  public static String queryParam(String url, String name) {
    for (String pair : URI.create(url).getRawQuery().split("&")) {
      if (pair.startsWith(name + "=")) {
        return java.net.URLDecoder.decode(
            pair.substring(name.length() + 1), java.nio.charset.StandardCharsets.UTF_8);
      }
    }
    return null;
  }
}
