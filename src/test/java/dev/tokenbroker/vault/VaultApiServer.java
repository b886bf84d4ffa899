package dev.tokenbroker.vault;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * A stand-in for HashiCorp Vault over real HTTP, implementing exactly the endpoints token-broker
 * uses, with Vault's documented request and response shapes: token auth ({@code X-Vault-Token}),
 * Transit ({@code keys/:name} create/read/rotate, {@code encrypt}, {@code decrypt}, {@code rewrap},
 * single and {@code batch_input}; AES-256-GCM, derived keys per {@code context}, ciphertexts {@code
 * vault:v<N>:<base64>}) and KV v2 ({@code data/:path} read/write, {@code metadata/:path} delete,
 * versions). Unknown paths answer 404 {@code {"errors":[]}} and are counted.
 */
public final class VaultApiServer implements AutoCloseable {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final SecureRandom RANDOM = new SecureRandom();

  private final HttpServer server;
  private final String token;
  private final Map<String, TransitKey> transitKeys = new ConcurrentHashMap<>();
  private final Map<String, List<KvVersion>> kv = new ConcurrentHashMap<>();
  private final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
  private final List<String> unknownPaths =
      java.util.Collections.synchronizedList(new ArrayList<>());
  private volatile boolean down;
  private final AtomicInteger dropTransit = new AtomicInteger();

  public VaultApiServer(String token) {
    this.token = token;
    try {
      server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 100);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    server.setExecutor(Executors.newFixedThreadPool(16));
    server.createContext("/v1/", this::handle);
    server.start();
  }

  public String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  /** Creates a derived AES-256-GCM Transit key, as {@code vault write -f transit/keys/<n>}. */
  public void createTransitKey(String name) {
    transitKeys.computeIfAbsent(name, n -> new TransitKey(true));
  }

  public void rotateTransitKey(String name) {
    transitKeys.get(name).rotate();
  }

  /** Whether the server answers at all; while down, every connection is refused (503 here). */
  public void down(boolean down) {
    this.down = down;
  }

  /**
   * The next {@code count} Transit calls are read and then dropped: the connection closes without
   * an answer, as a keep-alive connection the server closed under a request.
   */
  public void dropNextTransitCalls(int count) {
    dropTransit.set(count);
  }

  /** The current plaintext fields of a KV v2 secret, or null when absent or deleted. */
  public Map<String, String> kvSecret(String mount, String path) {
    List<KvVersion> versions = kv.get(mount + "/" + path);
    if (versions == null || versions.isEmpty()) {
      return null;
    }
    return versions.get(versions.size() - 1).data();
  }

  public int kvVersions(String mount, String path) {
    List<KvVersion> versions = kv.get(mount + "/" + path);
    return versions == null ? 0 : versions.size();
  }

  /** Calls by operation, e.g. {@code transit/encrypt} or {@code kv/read}. */
  public int calls(String operation) {
    AtomicInteger count = calls.get(operation);
    return count == null ? 0 : count.get();
  }

  public List<String> unknownPaths() {
    return List.copyOf(unknownPaths);
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      if (down) {
        respond(exchange, 503, errors("Vault is sealed"));
        return;
      }
      String path = exchange.getRequestURI().getPath().substring("/v1/".length());
      String method = exchange.getRequestMethod();
      if (path.equals("sys/health")) {
        respond(
            exchange,
            200,
            JSON.readTree("{\"initialized\":true,\"sealed\":false,\"standby\":false}"));
        return;
      }
      if (!token.equals(exchange.getRequestHeaders().getFirst("X-Vault-Token"))) {
        respond(exchange, 403, errors("permission denied"));
        return;
      }
      byte[] raw = exchange.getRequestBody().readAllBytes();
      if (path.startsWith("transit/") && dropTransit.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
        count("dropped");
        return;
      }
      JsonNode body = raw.length == 0 ? JSON.createObjectNode() : JSON.readTree(raw);
      String[] parts = path.split("/");
      if (path.startsWith("auth/token/lookup-self")) {
        count("auth/lookup-self");
        respond(
            exchange,
            200,
            JSON.readTree(
                "{\"data\":{\"renewable\":false,\"ttl\":0,\"policies\":[\"token-broker\"]}}"));
      } else if (parts.length >= 3 && parts[0].equals("transit")) {
        transit(exchange, method, parts, body);
      } else if (parts.length >= 3 && (parts[1].equals("data") || parts[1].equals("metadata"))) {
        kv(
            exchange,
            method,
            parts[0],
            parts[1],
            String.join("/", List.of(parts).subList(2, parts.length)),
            body);
      } else {
        unknownPaths.add(method + " " + path);
        respond(exchange, 404, errors());
      }
    } catch (IllegalArgumentException e) {
      respond(exchange, 400, errors(e.getMessage()));
    } catch (GeneralSecurityException e) {
      respond(exchange, 400, errors("cipher: message authentication failed"));
    }
  }

  private void transit(HttpExchange exchange, String method, String[] parts, JsonNode body)
      throws IOException, GeneralSecurityException {
    String op = parts[1];
    String name = parts[2];
    if (op.equals("keys")) {
      if (parts.length == 4 && parts[3].equals("rotate") && method.equals("POST")) {
        count("transit/rotate");
        requireKey(name).rotate();
        respond(exchange, 204, null);
      } else if (parts.length == 3 && method.equals("POST")) {
        count("transit/create");
        transitKeys.computeIfAbsent(name, n -> new TransitKey(body.path("derived").asBoolean()));
        respond(exchange, 204, null);
      } else if (parts.length == 3 && method.equals("GET")) {
        count("transit/read");
        TransitKey key = transitKeys.get(name);
        if (key == null) {
          respond(exchange, 404, errors());
          return;
        }
        respond(exchange, 200, wrap(key.describe(name)));
      } else {
        respond(exchange, 405, errors("unsupported operation"));
      }
      return;
    }
    TransitKey key = transitKeys.get(name);
    if (key == null) {
      respond(exchange, 400, errors("encryption key not found"));
      return;
    }
    count("transit/" + op);
    boolean batch = body.has("batch_input");
    List<JsonNode> items = new ArrayList<>();
    if (batch) {
      body.get("batch_input").forEach(items::add);
    } else {
      items.add(body);
    }
    ArrayNode results = JsonNodeFactory.instance.arrayNode();
    boolean failed = false;
    for (JsonNode item : items) {
      ObjectNode result = JsonNodeFactory.instance.objectNode();
      try {
        byte[] context = decodeContext(key, item);
        switch (op) {
          case "encrypt" -> {
            byte[] plaintext = Base64.getDecoder().decode(item.path("plaintext").asText());
            int version = item.path("key_version").asInt(0);
            version = version == 0 ? key.latest() : version;
            result.put("ciphertext", key.encrypt(version, context, plaintext));
            result.put("key_version", version);
          }
          case "decrypt" ->
              result.put(
                  "plaintext",
                  Base64.getEncoder()
                      .encodeToString(key.decrypt(item.path("ciphertext").asText(), context)));
          case "rewrap" -> {
            byte[] plaintext = key.decrypt(item.path("ciphertext").asText(), context);
            int version = item.path("key_version").asInt(0);
            version = version == 0 ? key.latest() : version;
            result.put("ciphertext", key.encrypt(version, context, plaintext));
            result.put("key_version", version);
          }
          default -> throw new IllegalArgumentException("unsupported path");
        }
      } catch (IllegalArgumentException | GeneralSecurityException e) {
        if (!batch) {
          throw e;
        }
        failed = true;
        result.put(
            "error",
            e instanceof GeneralSecurityException
                ? "cipher: message authentication failed"
                : e.getMessage());
      }
      results.add(result);
    }
    ObjectNode data = JsonNodeFactory.instance.objectNode();
    if (batch) {
      data.set("batch_results", results);
    } else {
      data = (ObjectNode) results.get(0);
    }
    respond(exchange, failed ? 400 : 200, wrap(data));
  }

  private static byte[] decodeContext(TransitKey key, JsonNode item) {
    String context = item.path("context").asText("");
    if (key.derived && context.isEmpty()) {
      throw new IllegalArgumentException("missing 'context' for key derivation");
    }
    return Base64.getDecoder().decode(context);
  }

  private TransitKey requireKey(String name) {
    TransitKey key = transitKeys.get(name);
    if (key == null) {
      throw new IllegalArgumentException("encryption key not found");
    }
    return key;
  }

  private void kv(
      HttpExchange exchange, String method, String mount, String kind, String path, JsonNode body)
      throws IOException {
    String id = mount + "/" + path;
    if (kind.equals("metadata")) {
      if (method.equals("DELETE")) {
        count("kv/delete-metadata");
        kv.remove(id);
        respond(exchange, 204, null);
      } else {
        respond(exchange, 405, errors("unsupported operation"));
      }
      return;
    }
    switch (method) {
      case "GET" -> {
        count("kv/read");
        List<KvVersion> versions = kv.get(id);
        if (versions == null || versions.isEmpty()) {
          respond(exchange, 404, errors());
          return;
        }
        KvVersion latest = versions.get(versions.size() - 1);
        ObjectNode data = JsonNodeFactory.instance.objectNode();
        data.set("data", JSON.valueToTree(latest.data()));
        data.set("metadata", metadata(versions.size(), latest.created()));
        respond(exchange, 200, wrap(data));
      }
      case "POST", "PUT" -> {
        count("kv/write");
        Map<String, String> values = new TreeMap<>();
        body.path("data")
            .fields()
            .forEachRemaining(e -> values.put(e.getKey(), e.getValue().asText()));
        List<KvVersion> versions =
            kv.computeIfAbsent(id, k -> java.util.Collections.synchronizedList(new ArrayList<>()));
        Instant now = Instant.now();
        versions.add(new KvVersion(Map.copyOf(values), now));
        respond(exchange, 200, wrap(metadata(versions.size(), now)));
      }
      default -> respond(exchange, 405, errors("unsupported operation"));
    }
  }

  private static ObjectNode metadata(int version, Instant created) {
    ObjectNode metadata = JsonNodeFactory.instance.objectNode();
    metadata.put("created_time", created.toString());
    metadata.putNull("custom_metadata");
    metadata.put("deletion_time", "");
    metadata.put("destroyed", false);
    metadata.put("version", version);
    return metadata;
  }

  private void count(String operation) {
    calls.computeIfAbsent(operation, k -> new AtomicInteger()).incrementAndGet();
  }

  private static ObjectNode wrap(JsonNode data) {
    ObjectNode response = JsonNodeFactory.instance.objectNode();
    response.put("request_id", java.util.UUID.randomUUID().toString());
    response.put("lease_id", "");
    response.put("renewable", false);
    response.put("lease_duration", 0);
    response.set("data", data);
    response.putNull("wrap_info");
    response.putNull("warnings");
    response.putNull("auth");
    return response;
  }

  private static JsonNode errors(String... messages) {
    ObjectNode node = JsonNodeFactory.instance.objectNode();
    ArrayNode list = node.putArray("errors");
    for (String m : messages) {
      list.add(m);
    }
    return node;
  }

  private static void respond(HttpExchange exchange, int status, JsonNode body) throws IOException {
    if (body == null) {
      exchange.sendResponseHeaders(status, -1);
      return;
    }
    byte[] bytes = JSON.writeValueAsBytes(body);
    exchange.getResponseHeaders().add("Content-Type", "application/json");
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }

  private record KvVersion(Map<String, String> data, Instant created) {}

  /** A Transit key: AES-256-GCM versions; with {@code derived}, a key per context (HMAC-SHA256). */
  private static final class TransitKey {
    final boolean derived;
    final List<byte[]> versions = new java.util.concurrent.CopyOnWriteArrayList<>();
    final List<Instant> created = new java.util.concurrent.CopyOnWriteArrayList<>();

    TransitKey(boolean derived) {
      this.derived = derived;
      rotate();
    }

    synchronized void rotate() {
      byte[] key = new byte[32];
      RANDOM.nextBytes(key);
      versions.add(key);
      created.add(Instant.now());
    }

    int latest() {
      return versions.size();
    }

    String encrypt(int version, byte[] context, byte[] plaintext) throws GeneralSecurityException {
      if (version < 1 || version > latest()) {
        throw new IllegalArgumentException("requested version for encryption is not available");
      }
      byte[] nonce = new byte[12];
      RANDOM.nextBytes(nonce);
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(
          Cipher.ENCRYPT_MODE,
          new SecretKeySpec(keyFor(version, context), "AES"),
          new GCMParameterSpec(128, nonce));
      byte[] sealed = cipher.doFinal(plaintext);
      return "vault:v"
          + version
          + ":"
          + Base64.getEncoder()
              .encodeToString(
                  ByteBuffer.allocate(12 + sealed.length).put(nonce).put(sealed).array());
    }

    byte[] decrypt(String ciphertext, byte[] context) throws GeneralSecurityException {
      String[] parts = ciphertext.split(":", 3);
      if (parts.length != 3 || !parts[0].equals("vault") || !parts[1].startsWith("v")) {
        throw new IllegalArgumentException("invalid ciphertext: no prefix");
      }
      int version = Integer.parseInt(parts[1].substring(1));
      if (version < 1 || version > latest()) {
        throw new IllegalArgumentException("invalid ciphertext: unknown key version");
      }
      byte[] raw = Base64.getDecoder().decode(parts[2]);
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(
          Cipher.DECRYPT_MODE,
          new SecretKeySpec(keyFor(version, context), "AES"),
          new GCMParameterSpec(128, raw, 0, 12));
      return cipher.doFinal(raw, 12, raw.length - 12);
    }

    private byte[] keyFor(int version, byte[] context) throws GeneralSecurityException {
      byte[] key = versions.get(version - 1);
      if (!derived) {
        return key;
      }
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return mac.doFinal(context);
    }

    JsonNode describe(String name) {
      ObjectNode data = JsonNodeFactory.instance.objectNode();
      data.put("name", name);
      data.put("type", "aes256-gcm96");
      data.put("derived", derived);
      if (derived) {
        data.put("kdf", "hkdf_sha256");
      }
      data.put("convergent_encryption", false);
      data.put("allow_plaintext_backup", false);
      data.put("auto_rotate_period", 0);
      data.put("imported_key", false);
      data.put("supports_signing", false);
      data.put("deletion_allowed", false);
      data.put("exportable", false);
      data.put("latest_version", latest());
      data.put("min_available_version", 0);
      data.put("min_decryption_version", 1);
      data.put("min_encryption_version", 0);
      data.put("supports_encryption", true);
      data.put("supports_decryption", true);
      data.put("supports_derivation", true);
      ObjectNode keys = data.putObject("keys");
      for (int i = 0; i < created.size(); i++) {
        keys.put(String.valueOf(i + 1), created.get(i).getEpochSecond());
      }
      return data;
    }
  }
}
