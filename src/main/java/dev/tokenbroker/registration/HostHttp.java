package dev.tokenbroker.registration;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tokenbroker.outbound.EgressGate;
import dev.tokenbroker.outbound.OutboundPolicy;
import dev.tokenbroker.upstream.UpstreamConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * JSON over HTTP with a badge host: only where the outbound policy allows, bounded time and size,
 * no redirect followed. Reports what came back; callers decide what an answer means.
 */
@ApplicationScoped
class HostHttp {

  private static final Logger LOG = Logger.getLogger(HostHttp.class);

  static final int MAX_BODY_BYTES = 256 * 1024;

  /** One answer: its status and its body as JSON, empty when it had none or was not JSON. */
  record Answer(int status, Optional<JsonNode> body, String location) {}

  /** The host could not be reached, timed out, or sent more than {@link #MAX_BODY_BYTES}. */
  static final class Unreachable extends Exception {
    Unreachable(String message) {
      super(message, null, false, false);
    }
  }

  private final HttpClient http;
  private final ObjectMapper json;
  private final UpstreamConfig timeouts;
  private final OutboundPolicy outbound;

  HostHttp(ObjectMapper json, UpstreamConfig timeouts, OutboundPolicy outbound, EgressGate gate) {
    this.json = json;
    this.timeouts = timeouts;
    this.outbound = outbound;
    this.http =
        HttpClient.newBuilder()
            .connectTimeout(timeouts.connectTimeout())
            .followRedirects(HttpClient.Redirect.NEVER)
            .proxy(gate.proxySelector())
            .build();
  }

  /** GET; a 3xx is an answer like any other, its Location never visited. */
  Answer get(String url) throws Unreachable {
    return send(request(url).GET().build());
  }

  /** A JSON body sent with {@code method}, with a bearer token when one is given. */
  Answer send(String method, String url, String bearer, JsonNode body) throws Unreachable {
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

  private Answer send(HttpRequest request) throws Unreachable {
    try {
      HttpResponse<InputStream> response =
          http.send(request, HttpResponse.BodyHandlers.ofInputStream());
      byte[] bytes;
      try (InputStream in = response.body()) {
        bytes = in.readNBytes(MAX_BODY_BYTES + 1);
      }
      if (bytes.length > MAX_BODY_BYTES) {
        throw new Unreachable("answered with more than " + MAX_BODY_BYTES + " bytes");
      }
      return new Answer(
          response.statusCode(),
          parse(bytes),
          response.headers().firstValue("Location").orElse(null));
    } catch (IOException e) {
      // which of refused, reset or timed out is not said: a detail that tells would scan ports
      LOG.debugf("%s %s failed: %s", request.method(), request.uri().getHost(), e.toString());
      throw new Unreachable("could not be reached or did not answer in time");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new Unreachable("interrupted");
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
