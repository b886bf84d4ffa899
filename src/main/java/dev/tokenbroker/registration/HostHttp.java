package dev.tokenbroker.registration;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tokenbroker.provider.UpstreamUrls;
import dev.tokenbroker.upstream.UpstreamConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Optional;

/**
 * JSON over HTTP with a badge host: bounded time and size, redirects followed only to URLs that may
 * receive credentials. Reports what came back; callers decide what an answer means.
 */
@ApplicationScoped
class HostHttp {

  static final int MAX_BODY_BYTES = 256 * 1024;
  private static final int MAX_REDIRECTS = 3;

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

  HostHttp(ObjectMapper json, UpstreamConfig timeouts) {
    this.json = json;
    this.timeouts = timeouts;
    this.http =
        HttpClient.newBuilder()
            .connectTimeout(timeouts.connectTimeout())
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
  }

  /** GET, following up to three redirects; a redirect elsewhere than https stops at the 3xx. */
  Answer get(String url) throws Unreachable {
    String current = url;
    for (int hop = 0; ; hop++) {
      Answer answer = send(request(current).GET().build());
      if (answer.status() / 100 != 3 || answer.location() == null || hop == MAX_REDIRECTS) {
        return answer;
      }
      String next = URI.create(current).resolve(answer.location()).toString();
      if (UpstreamUrls.endpointProblem(next).isPresent()) {
        return answer;
      }
      current = next;
    }
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

  private HttpRequest.Builder request(String url) {
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
      throw new Unreachable(
          e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()));
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
