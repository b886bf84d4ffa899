package dev.tokenbroker.outbound;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tokenbroker.upstream.UpstreamConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.jboss.logging.Logger;

/**
 * The broker's HTTP client for every call that is not a token call: JSON with a remote host (a
 * badge host's documents and registration, an issuer's discovery document and JWKS) and plain
 * exchanges whose status is all that counts (webhooks, a platform's ping). Only where the outbound
 * policy allows, through the egress gate, one deadline and a size cap for the whole answer, no
 * redirect followed. Reports what came back; callers decide what an answer means.
 */
@ApplicationScoped
public class OutboundHttp {

  private static final Logger LOG = Logger.getLogger(OutboundHttp.class);

  static final int MAX_BODY_BYTES = 256 * 1024;

  /** One answer: its status and its body as JSON, empty when it had none or was not JSON. */
  public record Answer(int status, Optional<JsonNode> body, String location) {}

  /** The host could not be reached, timed out, or sent more than {@link #MAX_BODY_BYTES}. */
  public static final class Unreachable extends Exception {
    Unreachable(String message) {
      super(message, null, false, false);
    }
  }

  private final HttpClient http;
  private final ObjectMapper json;
  private final UpstreamConfig timeouts;
  private final OutboundPolicy outbound;

  private final EgressGate gate;

  @Inject
  OutboundHttp(
      ObjectMapper json, UpstreamConfig timeouts, OutboundPolicy outbound, EgressGate gate) {
    this(json, timeouts, outbound, gate, null);
  }

  private OutboundHttp(
      ObjectMapper json,
      UpstreamConfig timeouts,
      OutboundPolicy outbound,
      EgressGate gate,
      SSLContext tls) {
    this.json = json;
    this.timeouts = timeouts;
    this.outbound = outbound;
    this.gate = gate;
    HttpClient.Builder builder =
        HttpClient.newBuilder()
            .connectTimeout(timeouts.connectTimeout())
            .followRedirects(HttpClient.Redirect.NEVER)
            .proxy(gate.proxySelector());
    if (tls != null) {
      builder.sslContext(tls);
    }
    this.http = builder.build();
  }

  /** The same client, trusting only the PEM certificates in {@code pemFile} for https. */
  public OutboundHttp trusting(Path pemFile) {
    try (InputStream pem = Files.newInputStream(pemFile)) {
      List<X509Certificate> certificates = new ArrayList<>();
      for (Certificate certificate :
          CertificateFactory.getInstance("X.509").generateCertificates(pem)) {
        certificates.add((X509Certificate) certificate);
      }
      return trusting(certificates);
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException("Cannot read the certificates in " + pemFile, e);
    }
  }

  /**
   * The same client, trusting only {@code certificates} for https (a cluster's own CA, as the API
   * server's JWKS needs).
   */
  public OutboundHttp trusting(Collection<X509Certificate> certificates) {
    try {
      KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
      store.load(null, null);
      int alias = 0;
      for (X509Certificate certificate : certificates) {
        store.setCertificateEntry("trusted-" + alias++, certificate);
      }
      TrustManagerFactory trust =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      trust.init(store);
      SSLContext tls = SSLContext.getInstance("TLS");
      tls.init(null, trust.getTrustManagers(), null);
      return new OutboundHttp(json, timeouts, outbound, gate, tls);
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException("Cannot trust the given certificates: " + e.getMessage(), e);
    }
  }

  /** GET; a 3xx is an answer like any other, its Location never visited. */
  public Answer get(String url) throws Unreachable {
    return send(request(url).GET().build());
  }

  /** A JSON body sent with {@code method}, with a bearer token when one is given. */
  public Answer send(String method, String url, String bearer, JsonNode body) throws Unreachable {
    HttpRequest.Builder request = request(url);
    if (bearer != null) {
      request.header("Authorization", "Bearer " + bearer);
    }
    if (body == null) {
      request.method(method, HttpRequest.BodyPublishers.noBody());
    } else {
      request
          .header("Content-Type", "application/json")
          .method(method, HttpRequest.BodyPublishers.ofString(body.toString()));
    }
    return send(request.build());
  }

  private HttpRequest.Builder request(String url) throws Unreachable {
    if (outbound.urlProblem(url).isPresent()) {
      throw new Unreachable("refused by the outbound policy (broker.outbound.allowed-hosts)");
    }
    return HttpRequest.newBuilder(URI.create(url))
        .timeout(timeouts.requestTimeout())
        .header("Accept", "application/json");
  }

  /**
   * Sends {@code request}, built by the caller (the policy checked), and returns its answer's
   * status. The body is read and dropped; the whole answer, body included, must arrive within
   * {@code deadline} (the JDK client's own request timeout ends at the answer's head).
   */
  public int status(HttpRequest request, Duration deadline) throws Unreachable {
    return within(
            http.sendAsync(request, HttpResponse.BodyHandlers.discarding()), deadline, request)
        .statusCode();
  }

  /** One exchange; the whole answer, body included, within the request timeout. */
  private Answer send(HttpRequest request) throws Unreachable {
    HttpResponse<byte[]> response =
        within(
            http.sendAsync(request, info -> new CappedBody()), timeouts.requestTimeout(), request);
    return new Answer(
        response.statusCode(),
        parse(response.body()),
        response.headers().firstValue("Location").orElse(null));
  }

  private static <T> HttpResponse<T> within(
      CompletableFuture<HttpResponse<T>> pending, Duration deadline, HttpRequest request)
      throws Unreachable {
    try {
      return pending.get(deadline.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      pending.cancel(true);
      throw new Unreachable("did not answer in time");
    } catch (ExecutionException e) {
      for (Throwable cause = e.getCause(); cause != null; cause = cause.getCause()) {
        if (cause instanceof TooLarge) {
          throw new Unreachable("answered with more than " + MAX_BODY_BYTES + " bytes");
        }
      }
      // which of refused, reset or timed out is not said: a detail that tells would scan ports
      LOG.debugf("%s %s failed: %s", request.method(), request.uri().getHost(), e.getCause());
      throw new Unreachable("could not be reached or did not answer in time");
    } catch (InterruptedException e) {
      pending.cancel(true);
      Thread.currentThread().interrupt();
      throw new Unreachable("interrupted");
    }
  }

  private static final class TooLarge extends IOException {
    TooLarge() {
      super("answer over the size limit", null);
    }
  }

  /** Collects an answer's body up to {@link #MAX_BODY_BYTES}; a larger one ends the exchange. */
  private static final class CappedBody implements HttpResponse.BodySubscriber<byte[]> {
    private final CompletableFuture<byte[]> body = new CompletableFuture<>();
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private Flow.Subscription subscription;

    @Override
    public CompletionStage<byte[]> getBody() {
      return body;
    }

    @Override
    public void onSubscribe(Flow.Subscription subscription) {
      this.subscription = subscription;
      subscription.request(Long.MAX_VALUE);
    }

    @Override
    public void onNext(List<ByteBuffer> buffers) {
      for (ByteBuffer buffer : buffers) {
        if (bytes.size() + buffer.remaining() > MAX_BODY_BYTES) {
          subscription.cancel();
          body.completeExceptionally(new TooLarge());
          return;
        }
        byte[] chunk = new byte[buffer.remaining()];
        buffer.get(chunk);
        bytes.writeBytes(chunk);
      }
    }

    @Override
    public void onError(Throwable failure) {
      body.completeExceptionally(failure);
    }

    @Override
    public void onComplete() {
      body.complete(bytes.toByteArray());
    }
  }

  private Optional<JsonNode> parse(byte[] bytes) {
    if (bytes.length == 0) {
      return Optional.empty();
    }
    try {
      return Optional.of(json.readTree(bytes));
    } catch (IOException notJson) {
      return Optional.empty();
    }
  }
}
