package dev.tokenbroker.proxy;

import dev.tokenbroker.outbound.EgressGate;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.ProxyOptions;
import io.vertx.core.net.ProxyType;
import io.vertx.mutiny.core.MultiMap;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.core.buffer.Buffer;
import io.vertx.mutiny.core.http.HttpClient;
import io.vertx.mutiny.core.http.HttpClientRequest;
import io.vertx.mutiny.core.http.HttpClientResponse;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Sends one proxied call with the Vert.x HTTP client: redirects not followed, https through the
 * egress gate (so the outbound policy holds at connection time), the answer read within the proxy's
 * size and time limits.
 */
@ApplicationScoped
public class UpstreamApi {

  /** What the upstream answered, headers as sent. */
  record Answer(int status, Map<String, List<String>> headers, byte[] body) {}

  /** The upstream could not be reached or did not answer within the limits. */
  static final class Unanswered extends RuntimeException {
    Unanswered(String message) {
      super(message, null, false, false);
    }
  }

  private final HttpClient client;
  private final EgressGate gate;
  private final ProxyConfig config;

  public UpstreamApi(Vertx vertx, EgressGate gate, ProxyConfig config) {
    this.gate = gate;
    this.config = config;
    this.client =
        vertx.createHttpClient(
            new HttpClientOptions()
                .setMaxPoolSize(config.maxConnectionsPerHost())
                .setKeepAlive(true)
                .setVerifyHost(true)
                .setConnectTimeout((int) config.firstByteTimeout().toMillis()));
  }

  /** The answer, or an {@link Unanswered} failure; never blocks the calling thread. */
  Uni<Answer> send(String method, String url, MultiMap headers, byte[] body) {
    RequestOptions options =
        new RequestOptions()
            .setMethod(HttpMethod.valueOf(method))
            .setAbsoluteURI(url)
            .setFollowRedirects(false)
            .setHeaders(headers.getDelegate());
    if (url.startsWith("https:")) {
      options.setProxyOptions(
          new ProxyOptions().setType(ProxyType.HTTP).setHost("127.0.0.1").setPort(gate.port()));
    }
    AtomicReference<HttpClientRequest> sent = new AtomicReference<>();
    return client
        .request(options)
        .invoke(sent::set)
        .chain(request -> body.length == 0 ? request.send() : request.send(Buffer.buffer(body)))
        .ifNoItem()
        .after(config.firstByteTimeout())
        .failWith(() -> new Unanswered("no answer within broker.proxy.first-byte-timeout"))
        .chain(this::read)
        .ifNoItem()
        .after(config.answerTimeout())
        .failWith(() -> new Unanswered("answer not complete within broker.proxy.answer-timeout"))
        .onFailure()
        .invoke(
            () -> {
              HttpClientRequest request = sent.get();
              if (request != null) {
                request.reset();
              }
            })
        .onFailure(f -> !(f instanceof Unanswered))
        .transform(f -> new Unanswered("the connection failed or was refused"));
  }

  private Uni<Answer> read(HttpClientResponse response) {
    Map<String, List<String>> headers = new LinkedHashMap<>();
    response
        .headers()
        .forEach(
            e -> headers.computeIfAbsent(e.getKey(), k -> new ArrayList<>()).add(e.getValue()));
    int limit = config.maxAnswerBytes();
    return response
        .toMulti()
        .collect()
        .in(
            ByteArrayOutputStream::new,
            (out, chunk) -> {
              if (out.size() + chunk.length() > limit) {
                throw new Unanswered("answer larger than broker.proxy.max-answer-bytes");
              }
              out.writeBytes(chunk.getBytes());
            })
        .map(out -> new Answer(response.statusCode(), headers, out.toByteArray()));
  }

  @PreDestroy
  void close() {
    client.closeAndForget();
  }
}
