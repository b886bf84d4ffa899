package dev.tokenbroker.jwt;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tokenbroker.outbound.EgressGate;
import dev.tokenbroker.outbound.OutboundHttp;
import dev.tokenbroker.outbound.OutboundPolicy;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The {@code jwks_uri} of an issuer's OpenID discovery document (Kubernetes serves one), read under
 * the outbound policy.
 */
@ApplicationScoped
public class JwksDiscovery {

  private final OutboundHttp http;
  private final OutboundPolicy policy;
  private final Map<String, OutboundHttp> trusting = new ConcurrentHashMap<>();

  JwksDiscovery(OutboundHttp http, OutboundPolicy policy) {
    this.http = http;
    this.policy = policy;
  }

  /**
   * The issuer's {@code jwks_uri}; {@link IllegalStateException} when it cannot be read.
   *
   * @param what the setting that names the issuer, as a refusal names it
   * @param tlsCertificatePath a PEM file of the certificates to trust instead of the JDK's
   * @throws dev.tokenbroker.api.ApiException 502 {@code url_not_allowed} when the outbound policy
   *     refuses the discovery document's URL
   */
  public String jwksUri(String what, String issuer, Optional<String> tlsCertificatePath) {
    String base = issuer.endsWith("/") ? issuer.substring(0, issuer.length() - 1) : issuer;
    String document = base + "/.well-known/openid-configuration";
    if (policy.urlProblem(document).isPresent()) {
      throw EgressGate.notAllowed(what);
    }
    OutboundHttp.Answer answer;
    try {
      answer =
          tlsCertificatePath
              .map(pem -> trusting.computeIfAbsent(pem, path -> http.trusting(Path.of(path))))
              .orElse(http)
              .get(document);
    } catch (OutboundHttp.Unreachable e) {
      throw new IllegalStateException(document + " " + e.getMessage(), e);
    }
    if (answer.status() != 200) {
      throw new IllegalStateException(document + " answered " + answer.status());
    }
    JsonNode jwks = answer.body().map(body -> body.path("jwks_uri")).orElse(null);
    if (jwks == null || !jwks.isTextual()) {
      throw new IllegalStateException(document + " has no jwks_uri");
    }
    return jwks.asText();
  }
}
