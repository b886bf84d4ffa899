package dev.tokenbroker.jwt;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** The {@code jwks_uri} of an issuer's OpenID discovery document (Kubernetes serves one). */
public final class JwksDiscovery {

  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private JwksDiscovery() {}

  public static String jwksUri(String issuer, ObjectMapper json) {
    String base = issuer.endsWith("/") ? issuer.substring(0, issuer.length() - 1) : issuer;
    URI document = URI.create(base + "/.well-known/openid-configuration");
    try {
      HttpResponse<String> response =
          HTTP.send(
              HttpRequest.newBuilder(document).timeout(Duration.ofSeconds(10)).GET().build(),
              HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() != 200) {
        throw new IllegalStateException(document + " answered " + response.statusCode());
      }
      JsonNode jwks = json.readTree(response.body()).path("jwks_uri");
      if (!jwks.isTextual()) {
        throw new IllegalStateException(document + " has no jwks_uri");
      }
      return jwks.asText();
    } catch (IOException e) {
      throw new IllegalStateException("Cannot read " + document + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted reading " + document, e);
    }
  }
}
