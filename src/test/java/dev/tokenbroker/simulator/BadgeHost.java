package dev.tokenbroker.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The badge-host side of the simulator: the discovery documents the 1EdTech specifications define
 * (a Badge Connect manifest, Open Badges 3.0 and CLR 2.0 service description documents), RFC 7591
 * dynamic registration that checks the client metadata, and RFC 7592 read, update (a new secret for
 * the same client) and delete. A registered client becomes the simulator's client; its secret may
 * expire, after which the token endpoint answers {@code invalid_client}.
 */
public final class BadgeHost {

  public static final String BADGE_CONNECT_PATH = "/.well-known/badgeconnect.json";
  public static final String OB3_PATH = "/ims/ob/v3p0/discovery";
  public static final String CLR_PATH = "/ims/clr/v2p0/discovery";

  private static final String OB2 = "https://purl.imsglobal.org/spec/ob/v2p1/scope/";
  private static final String OB3 = "https://purl.imsglobal.org/spec/ob/v3p0/scope/";
  private static final String CLR = "https://purl.imsglobal.org/spec/clr/v2p0/scope/";

  /** Open Badges 3.0 §"Dynamic client registration request": members a host requires. */
  private static final List<String> REQUIRED =
      List.of(
          "client_name",
          "client_uri",
          "logo_uri",
          "tos_uri",
          "policy_uri",
          "software_id",
          "software_version",
          "redirect_uris");

  private static final ObjectMapper JSON = new ObjectMapper();

  private final ProviderSimulator sim;
  private final Map<String, Registration> registrations = new ConcurrentHashMap<>();
  private final Map<String, Override> overrides = new ConcurrentHashMap<>();
  private final AtomicInteger registered = new AtomicInteger();
  private final AtomicInteger updated = new AtomicInteger();
  private final AtomicInteger deleted = new AtomicInteger();
  private final AtomicInteger attempts = new AtomicInteger();
  private volatile String refuseNextWith;
  private volatile Duration secretLifetime = Duration.ZERO;
  private volatile boolean manageable = true;
  private volatile JsonNode lastMetadata;

  private record Override(int status, String body, int padToBytes, long millisPerKiB) {}

  private volatile long slowDocumentFinishedAtMillis;

  private static final class Registration {
    final String clientId;
    final String accessToken;
    volatile ObjectNode metadata;

    Registration(String clientId, String accessToken, ObjectNode metadata) {
      this.clientId = clientId;
      this.accessToken = accessToken;
      this.metadata = metadata;
    }
  }

  BadgeHost(ProviderSimulator sim, HttpServer server) {
    this.sim = sim;
    server.createContext(BADGE_CONNECT_PATH, e -> document(e, this::manifest));
    server.createContext(OB3_PATH, e -> document(e, () -> serviceDescription(OB3)));
    server.createContext(CLR_PATH, e -> document(e, () -> serviceDescription(CLR)));
    server.createContext("/register", this::registration);
  }

  void reset() {
    registrations.clear();
    overrides.clear();
    slowDocumentFinishedAtMillis = 0;
    registered.set(0);
    updated.set(0);
    attempts.set(0);
    deleted.set(0);
    refuseNextWith = null;
    secretLifetime = Duration.ZERO;
    manageable = true;
    lastMetadata = null;
  }

  /** Serves {@code body} with {@code status} at a discovery path instead of the real document. */
  public BadgeHost serve(String path, int status, String body) {
    overrides.put(path, new Override(status, body, 0, 0));
    return this;
  }

  /**
   * Serves the real document at a discovery path padded with whitespace to {@code padToBytes}, in
   * 1-KiB pieces {@code millisPerKiB} apart: a huge document, or one that drips.
   */
  public BadgeHost serveSlowly(String path, int padToBytes, long millisPerKiB) {
    overrides.put(path, new Override(200, null, padToBytes, millisPerKiB));
    return this;
  }

  /** When the last slowly served document was written to its end (0: not, or the client left). */
  public long slowDocumentFinishedAtMillis() {
    return slowDocumentFinishedAtMillis;
  }

  /** The next registration is refused with this RFC 7591 error code. */
  public BadgeHost refuseNextRegistration(String error) {
    refuseNextWith = error;
    return this;
  }

  /** Secrets issued from now on expire after this long (zero: never). */
  public BadgeHost secretLifetime(Duration lifetime) {
    secretLifetime = lifetime;
    return this;
  }

  /** Whether registrations come with RFC 7592 management (a client URI and an access token). */
  public BadgeHost manageable(boolean offered) {
    manageable = offered;
    return this;
  }

  /** The host's administrator issues the client a new secret without telling anyone. */
  public void replaceSecretOutOfBand() {
    sim.registeredClient(sim.clientId(), secret("cs-"), expiry());
  }

  public int registrations() {
    return registered.get();
  }

  /** Registration requests and RFC 7592 updates received, refused ones included. */
  public int registrationAttempts() {
    return attempts.get();
  }

  public int updates() {
    return updated.get();
  }

  public int deletions() {
    return deleted.get();
  }

  /** Whether the host still knows this client. */
  public boolean knows(String clientId) {
    return registrations.containsKey(clientId);
  }

  /** The client metadata of the last registration or update. */
  public JsonNode lastMetadata() {
    return lastMetadata;
  }

  private String manifest() {
    ObjectNode api = JSON.createObjectNode();
    api.put("id", sim.baseUrl() + BADGE_CONNECT_PATH);
    api.put("type", "BadgeConnectAPI");
    api.put("name", "Simulated Badge Connect host");
    api.put("image", sim.baseUrl() + "/logo.png");
    api.put("apiBase", sim.baseUrl() + "/ims/ob/v2p1");
    api.put("version", "v2p1");
    api.put("termsOfServiceUrl", sim.baseUrl() + "/terms");
    api.put("privacyPolicyUrl", sim.baseUrl() + "/privacy");
    ArrayNode scopes = api.putArray("scopesOffered");
    for (String s : List.of("assertion.readonly", "assertion.create", "profile.readonly")) {
      scopes.add(OB2 + s);
    }
    scopes.add(OB2 + "profile.update");
    api.put("registrationUrl", sim.baseUrl() + "/register");
    api.put("authorizationUrl", sim.baseUrl() + "/authorize");
    api.put("tokenUrl", sim.baseUrl() + "/token");
    // not a member the specification names: this host adds its RFC 7009 endpoint
    api.put("revocationUrl", sim.baseUrl() + "/revoke");
    ObjectNode manifest = JSON.createObjectNode();
    manifest.put("@context", "https://w3id.org/openbadges/badgeconnect/v1");
    manifest.put("id", sim.baseUrl() + BADGE_CONNECT_PATH);
    manifest.put("type", "Manifest");
    manifest.putArray("badgeConnectAPI").add(api);
    return manifest.toString();
  }

  private String serviceDescription(String scopePrefix) {
    ObjectNode document = JSON.createObjectNode();
    document.put("openapi", "3.0.1");
    ObjectNode info = document.putObject("info");
    info.put("title", "Simulated Open Badges host");
    info.put("version", "3.0");
    info.put("termsOfService", sim.baseUrl() + "/terms");
    info.put("x-imssf-privacyPolicyUrl", sim.baseUrl() + "/privacy");
    document.putObject("paths");
    ObjectNode scheme =
        document.putObject("components").putObject("securitySchemes").putObject("OAuth2ACG");
    scheme.put("type", "oauth2");
    scheme.put("description", "OAuth 2.0 Authorization Code Grant authorization");
    scheme.put("x-imssf-name", "Simulated Open Badges host");
    scheme.put("x-imssf-privacyPolicyUrl", sim.baseUrl() + "/privacy");
    scheme.put("x-imssf-registrationUrl", sim.baseUrl() + "/register");
    scheme.put("x-imssf-termsOfServiceUrl", sim.baseUrl() + "/terms");
    ObjectNode flow = scheme.putObject("flows").putObject("authorizationCode");
    flow.put("tokenUrl", sim.baseUrl() + "/token");
    flow.put("authorizationUrl", sim.baseUrl() + "/authorize");
    flow.put("refreshUrl", sim.baseUrl() + "/token");
    ObjectNode scopes = flow.putObject("scopes");
    for (String s :
        List.of("credential.readonly", "credential.upsert", "profile.readonly", "profile.update")) {
      scopes.put(scopePrefix + s, "...");
    }
    scopes.put("offline_access", "A refresh token");
    return document.toString();
  }

  private void document(HttpExchange exchange, java.util.function.Supplier<String> real)
      throws IOException {
    Override override = overrides.get(exchange.getRequestURI().getPath());
    if (override != null && override.body() == null) {
      dripPadded(exchange, real.get(), override);
    } else if (override != null) {
      respond(exchange, override.status(), override.body());
    } else {
      respond(exchange, 200, real.get());
    }
  }

  private void registration(HttpExchange exchange) throws IOException {
    String path = exchange.getRequestURI().getPath();
    if (path.equals("/register")) {
      if (!"POST".equals(exchange.getRequestMethod())) {
        respond(exchange, 405, "");
        return;
      }
      register(exchange);
      return;
    }
    Registration registration = registrations.get(path.substring("/register/".length()));
    String header = exchange.getRequestHeaders().getFirst("Authorization");
    if (registration == null
        || header == null
        || !header.equals("Bearer " + registration.accessToken)) {
      respond(exchange, 401, "{\"error\":\"invalid_token\"}");
      return;
    }
    switch (exchange.getRequestMethod()) {
      case "GET" -> respond(exchange, 200, registration.metadata.toString());
      case "PUT" -> update(exchange, registration);
      case "DELETE" -> {
        registrations.remove(registration.clientId);
        deleted.incrementAndGet();
        if (registration.clientId.equals(sim.clientId())) {
          sim.registeredClient("deleted-" + registration.clientId, secret("cs-"), 0);
        }
        respond(exchange, 204, "");
      }
      default -> respond(exchange, 405, "");
    }
  }

  private void register(HttpExchange exchange) throws IOException {
    attempts.incrementAndGet();
    ObjectNode metadata = readMetadata(exchange);
    if (metadata == null) {
      return;
    }
    String refusal = refuseNextWith;
    if (refusal != null) {
      refuseNextWith = null;
      respond(exchange, 400, "{\"error\":\"" + refusal + "\"}");
      return;
    }
    String clientId = "reg-" + ProviderSimulator.random().substring(0, 12);
    String accessToken = secret("rat-");
    Registration registration = new Registration(clientId, accessToken, metadata);
    registrations.put(clientId, registration);
    registered.incrementAndGet();
    respond(exchange, 201, issue(registration, true).toString());
  }

  private void update(HttpExchange exchange, Registration registration) throws IOException {
    attempts.incrementAndGet();
    ObjectNode metadata = readMetadata(exchange);
    if (metadata == null) {
      return;
    }
    String refusal = refuseNextWith;
    if (refusal != null) {
      refuseNextWith = null;
      respond(exchange, 400, "{\"error\":\"" + refusal + "\"}");
      return;
    }
    if (!registration.clientId.equals(metadata.path("client_id").asText())) {
      respond(exchange, 400, "{\"error\":\"invalid_client_metadata\"}");
      return;
    }
    metadata.remove("client_id");
    registration.metadata = metadata;
    updated.incrementAndGet();
    respond(exchange, 200, issue(registration, false).toString());
  }

  /** A new secret for the registration; the answer of RFC 7591 §3.2.1 and RFC 7592 §3. */
  private ObjectNode issue(Registration registration, boolean created) {
    String secret = secret("cs-");
    long expiresAt = expiry();
    sim.registeredClient(registration.clientId, secret, expiresAt);
    ObjectNode answer = registration.metadata.deepCopy();
    answer.put("client_id", registration.clientId);
    answer.put("client_secret", secret);
    answer.put("client_secret_expires_at", expiresAt / 1000);
    if (created) {
      answer.put("client_id_issued_at", System.currentTimeMillis() / 1000);
    }
    if (manageable) {
      answer.put("registration_access_token", registration.accessToken);
      answer.put("registration_client_uri", sim.baseUrl() + "/register/" + registration.clientId);
    }
    return answer;
  }

  private long expiry() {
    return secretLifetime.isZero() ? 0 : System.currentTimeMillis() + secretLifetime.toMillis();
  }

  /** The checked client metadata, or null after answering with the RFC 7591 §3.2.2 error. */
  private ObjectNode readMetadata(HttpExchange exchange) throws IOException {
    String type = exchange.getRequestHeaders().getFirst("Content-Type");
    JsonNode body;
    try {
      body = JSON.readTree(exchange.getRequestBody().readAllBytes());
    } catch (IOException e) {
      body = null;
    }
    if (type == null || !type.startsWith("application/json") || body == null || !body.isObject()) {
      respond(exchange, 400, "{\"error\":\"invalid_client_metadata\"}");
      return null;
    }
    lastMetadata = body;
    String error = metadataError(body);
    if (error != null) {
      respond(exchange, 400, "{\"error\":\"" + error + "\"}");
      return null;
    }
    return (ObjectNode) body;
  }

  private String metadataError(JsonNode metadata) {
    for (String member : REQUIRED) {
      if (metadata.path(member).isMissingNode()) {
        return "invalid_client_metadata";
      }
    }
    JsonNode redirects = metadata.path("redirect_uris");
    if (!redirects.isArray() || redirects.isEmpty()) {
      return "invalid_redirect_uri";
    }
    for (JsonNode redirect : redirects) {
      URI uri = URI.create(redirect.asText(""));
      if (!uri.isAbsolute() || uri.getFragment() != null) {
        return "invalid_redirect_uri";
      }
    }
    if (!"client_secret_basic".equals(metadata.path("token_endpoint_auth_method").asText())) {
      return "invalid_client_metadata";
    }
    Set<String> grants = Set.copyOf(texts(metadata.path("grant_types")));
    if (!grants.contains("authorization_code")
        || !List.of("code").equals(texts(metadata.path("response_types")))) {
      return "invalid_client_metadata";
    }
    for (String scope : metadata.path("scope").asText("").split(" ")) {
      if (!scope.startsWith(OB2)
          && !scope.startsWith(OB3)
          && !scope.startsWith(CLR)
          && !scope.equals("offline_access")) {
        return "invalid_client_metadata";
      }
    }
    return null;
  }

  private static List<String> texts(JsonNode array) {
    List<String> values = new java.util.ArrayList<>();
    array.forEach(v -> values.add(v.asText()));
    return values;
  }

  private static String secret(String prefix) {
    return ProviderSimulator.secret(prefix);
  }

  private void dripPadded(HttpExchange exchange, String document, Override override)
      throws IOException {
    slowDocumentFinishedAtMillis = 0;
    byte[] real = document.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    byte[] padded = new byte[Math.max(real.length, override.padToBytes())];
    java.util.Arrays.fill(padded, (byte) ' ');
    System.arraycopy(real, 0, padded, 0, real.length);
    exchange.getResponseHeaders().add("Content-Type", "application/json");
    exchange.sendResponseHeaders(200, padded.length);
    try (java.io.OutputStream out = exchange.getResponseBody()) {
      for (int written = 0; written < padded.length; written += 1024) {
        out.write(padded, written, Math.min(1024, padded.length - written));
        out.flush();
        Thread.sleep(override.millisPerKiB());
      }
      slowDocumentFinishedAtMillis = System.currentTimeMillis();
    } catch (IOException | InterruptedException clientLeft) {
      // the broker gave up before the end
    }
    exchange.close();
  }

  private static void respond(HttpExchange exchange, int status, String body) throws IOException {
    ProviderSimulator.respond(exchange, status, body);
  }
}
