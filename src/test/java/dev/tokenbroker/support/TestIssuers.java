package dev.tokenbroker.support;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.smallrye.jwt.build.Jwt;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jwk.RsaJsonWebKey;

/**
 * JWT issuers on loopback servers, as a cluster and identity providers look to the broker: a
 * Kubernetes service-account issuer with discovery and two signing keys (the second is published by
 * {@link #rotateClusterKey()}), and an end users' identity provider.
 */
public final class TestIssuers implements AutoCloseable {

  public static final String AUDIENCE = "token-broker";

  private static final String STORE_PASSWORD = "test-issuers";

  private final HttpServer server;
  private final HttpsServer clusterServer;
  private Path clusterCa;
  private final KeyPair clusterKey1 = rsa();
  private final KeyPair clusterKey2 = rsa();
  private final KeyPair idpKey = rsa();
  private final KeyPair partnerKey = rsa();
  private final KeyPair strangerKey = rsa();
  private final AtomicInteger clusterJwksReads = new AtomicInteger();
  private volatile boolean rotated;

  public TestIssuers() {
    try {
      server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 50);
      clusterServer = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 50);
      clusterServer.setHttpsConfigurator(new HttpsConfigurator(clusterTls()));
    } catch (IOException | GeneralSecurityException | InterruptedException e) {
      throw new IllegalStateException(e);
    }
    clusterServer.createContext(
        "/cluster/.well-known/openid-configuration",
        x ->
            send(
                x,
                "{\"issuer\":\""
                    + clusterIssuer()
                    + "\",\"jwks_uri\":\""
                    + clusterIssuer()
                    + "/jwks\"}"));
    clusterServer.createContext(
        "/cluster/jwks",
        x -> {
          clusterJwksReads.incrementAndGet();
          List<KeyPair> keys = new ArrayList<>(List.of(clusterKey1));
          if (rotated) {
            keys.add(clusterKey2);
          }
          send(x, jwks(keys, rotated ? List.of("cluster-1", "cluster-2") : List.of("cluster-1")));
        });
    server.createContext("/idp/jwks", x -> send(x, jwks(List.of(idpKey), List.of("idp-1"))));
    server.createContext(
        "/partner/jwks", x -> send(x, jwks(List.of(partnerKey), List.of("partner-1"))));
    server.start();
    clusterServer.start();
  }

  /**
   * The API server's TLS, as a cluster has it: a certificate of the cluster's own (made here with
   * the JDK's keytool), which a client trusts only when given {@link #clusterCaCertificate()}.
   */
  private SSLContext clusterTls()
      throws IOException, GeneralSecurityException, InterruptedException {
    Path dir = Files.createTempDirectory("test-issuers");
    Path store = dir.resolve("cluster.p12");
    clusterCa = dir.resolve("cluster-ca.pem");
    keytool(
        "-genkeypair",
        "-alias",
        "cluster",
        "-keyalg",
        "EC",
        "-groupname",
        "secp256r1",
        "-dname",
        "CN=127.0.0.1",
        "-ext",
        "SAN=ip:127.0.0.1",
        "-validity",
        "2",
        "-storetype",
        "PKCS12",
        "-keystore",
        store.toString(),
        "-storepass",
        STORE_PASSWORD);
    keytool(
        "-exportcert",
        "-rfc",
        "-alias",
        "cluster",
        "-keystore",
        store.toString(),
        "-storepass",
        STORE_PASSWORD,
        "-file",
        clusterCa.toString());
    KeyStore keys = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(store)) {
      keys.load(in, STORE_PASSWORD.toCharArray());
    }
    KeyManagerFactory managers =
        KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    managers.init(keys, STORE_PASSWORD.toCharArray());
    SSLContext tls = SSLContext.getInstance("TLS");
    tls.init(managers.getKeyManagers(), null, null);
    return tls;
  }

  private static void keytool(String... arguments) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
    command.addAll(List.of(arguments));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (process.waitFor() != 0) {
      throw new IOException("keytool failed: " + output);
    }
  }

  public String baseUrl() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  /** The service-account issuer: https, with the cluster's own certificate. */
  public String clusterIssuer() {
    return "https://127.0.0.1:" + clusterServer.getAddress().getPort() + "/cluster";
  }

  /**
   * The PEM file of the certificate the cluster issuer serves (a cluster's CA, as pods have it).
   */
  public String clusterCaCertificate() {
    return clusterCa.toString();
  }

  public String idpIssuer() {
    return baseUrl() + "/idp";
  }

  /** Publishes the cluster's second key; tokens are signed with it from now on. */
  public void rotateClusterKey() {
    rotated = true;
  }

  public int clusterJwksReads() {
    return clusterJwksReads.get();
  }

  /** A projected service-account token for {@code system:serviceaccount:<ns>:<name>}. */
  public String serviceAccountToken(String subject, String audience, Duration lifetime) {
    return rotated
        ? sign(clusterIssuer(), subject, audience, lifetime, clusterKey2, "cluster-2")
        : sign(clusterIssuer(), subject, audience, lifetime, clusterKey1, "cluster-1");
  }

  /** A service-account token signed with a key the cluster never published. */
  public String forgedServiceAccountToken(String subject) {
    return sign(
        clusterIssuer(), subject, AUDIENCE, Duration.ofMinutes(5), strangerKey, "cluster-1");
  }

  public String userToken(String subject, String audience, Duration lifetime) {
    return sign(idpIssuer(), subject, audience, lifetime, idpKey, "idp-1");
  }

  public String partnerIssuer() {
    return baseUrl() + "/partner";
  }

  /** A user's token from a second identity provider, whose subjects are not the broker's own. */
  public String partnerUserToken(String subject) {
    return sign(partnerIssuer(), subject, AUDIENCE, Duration.ofMinutes(5), partnerKey, "partner-1");
  }

  public String forgedUserToken(String subject) {
    return sign(idpIssuer(), subject, AUDIENCE, Duration.ofMinutes(5), strangerKey, "idp-1");
  }

  private static String sign(
      String issuer,
      String subject,
      String audience,
      Duration lifetime,
      KeyPair key,
      String keyId) {
    Instant now = Instant.now();
    Instant expires = now.plus(lifetime);
    return Jwt.issuer(issuer)
        .subject(subject)
        .audience(audience)
        .issuedAt(lifetime.isNegative() ? expires.minusSeconds(60) : now)
        .expiresAt(expires)
        .jws()
        .keyId(keyId)
        .sign(key.getPrivate());
  }

  private static String jwks(List<KeyPair> keys, List<String> ids) {
    List<JsonWebKey> published = new ArrayList<>();
    for (int i = 0; i < keys.size(); i++) {
      RsaJsonWebKey jwk =
          new RsaJsonWebKey((java.security.interfaces.RSAPublicKey) keys.get(i).getPublic());
      jwk.setKeyId(ids.get(i));
      jwk.setAlgorithm("RS256");
      jwk.setUse("sig");
      published.add(jwk);
    }
    return new JsonWebKeySet(published).toJson();
  }

  private static void send(HttpExchange exchange, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().add("Content-Type", "application/json");
    exchange.sendResponseHeaders(200, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  private static KeyPair rsa() {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
      generator.initialize(2048);
      return generator.generateKeyPair();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    server.stop(0);
    clusterServer.stop(0);
  }
}
