package dev.tokenbroker.registration;

import static dev.tokenbroker.api.ApiException.invalidRequest;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tokenbroker.outbound.OutboundHttp;
import dev.tokenbroker.provider.Preset;
import dev.tokenbroker.provider.Scopes;
import dev.tokenbroker.provider.UpstreamUrls;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * Fetches and reads a host's discovery document: a Badge Connect manifest (Open Badges 2.1, {@code
 * /.well-known/badgeconnect.json}) or an Open Badges 3.0 / CLR 2.0 service description document (an
 * OpenAPI document whose {@code OAuth2ACG} security scheme names the endpoints). A missing or
 * unusable member is a 400 that names it; an unreachable host or a 5xx is a 502.
 */
@ApplicationScoped
class HostDocuments {

  private static final String FIELD = "discovery_url";
  private static final String OB3_SCHEME = "components.securitySchemes.OAuth2ACG";
  private static final String OB3_FLOW = OB3_SCHEME + ".flows.authorizationCode";

  private final OutboundHttp http;

  HostDocuments(OutboundHttp http) {
    this.http = http;
  }

  HostDocument fetch(Preset preset, String discoveryUrl) {
    OutboundHttp.Answer answer;
    try {
      answer = http.get(discoveryUrl);
    } catch (OutboundHttp.Unreachable e) {
      throw HostException.discoveryFailed(
          "The discovery document could not be fetched: " + e.getMessage());
    }
    if (answer.status() >= 500) {
      throw HostException.discoveryFailed(
          "The host answered " + answer.status() + " for its discovery document");
    }
    if (answer.status() != 200) {
      throw invalidRequest(FIELD, "the host answered " + answer.status() + ", not a document");
    }
    JsonNode document =
        answer
            .body()
            .filter(JsonNode::isObject)
            .orElseThrow(() -> invalidRequest(FIELD, "is not a JSON object"));
    return preset == Preset.BADGE_CONNECT ? badgeConnect(document) : serviceDescription(document);
  }

  static HostDocument badgeConnect(JsonNode manifest) {
    JsonNode apis = manifest.path("badgeConnectAPI");
    if (!apis.isArray() || apis.isEmpty() || !apis.get(0).isObject()) {
      throw invalidRequest("badgeConnectAPI", "must be a non-empty array of objects");
    }
    JsonNode api = apis.get(0);
    String prefix = "badgeConnectAPI[0].";
    return new HostDocument(
        url(api, prefix, "registrationUrl", true),
        url(api, prefix, "authorizationUrl", true),
        url(api, prefix, "tokenUrl", true),
        url(api, prefix, "revocationUrl", false),
        scopes(api.path("scopesOffered"), prefix + "scopesOffered", false));
  }

  static HostDocument serviceDescription(JsonNode document) {
    JsonNode scheme = document.path("components").path("securitySchemes").path("OAuth2ACG");
    if (!scheme.isObject()) {
      throw invalidRequest(OB3_SCHEME, "is required");
    }
    if (!"oauth2".equals(scheme.path("type").asText())) {
      throw invalidRequest(OB3_SCHEME + ".type", "must be oauth2");
    }
    JsonNode flow = scheme.path("flows").path("authorizationCode");
    if (!flow.isObject()) {
      throw invalidRequest(OB3_FLOW, "is required");
    }
    return new HostDocument(
        url(scheme, OB3_SCHEME + ".", "x-imssf-registrationUrl", true),
        url(flow, OB3_FLOW + ".", "authorizationUrl", true),
        url(flow, OB3_FLOW + ".", "tokenUrl", true),
        null,
        scopes(flow.path("scopes"), OB3_FLOW + ".scopes", true));
  }

  private static String url(JsonNode parent, String prefix, String member, boolean required) {
    JsonNode value = parent.path(member);
    if (value.isMissingNode() || value.isNull()) {
      if (required) {
        throw invalidRequest(prefix + member, "is required");
      }
      return null;
    }
    if (!value.isTextual()) {
      throw invalidRequest(prefix + member, "must be a URL string");
    }
    UpstreamUrls.syntaxProblem(value.asText())
        .ifPresent(
            problem -> {
              throw invalidRequest(prefix + member, problem);
            });
    return value.asText();
  }

  /** An array of scopes (Badge Connect) or an object whose keys are scopes (OpenAPI). */
  private static List<String> scopes(JsonNode node, String name, boolean keys) {
    List<String> scopes = new ArrayList<>();
    if (keys && node.isObject()) {
      Iterator<String> names = node.fieldNames();
      names.forEachRemaining(scopes::add);
    } else if (!keys && node.isArray()) {
      node.forEach(s -> scopes.add(s.isTextual() ? s.asText() : ""));
    } else {
      throw invalidRequest(name, keys ? "must be an object of scopes" : "must be an array");
    }
    if (scopes.isEmpty() || scopes.size() > 200) {
      throw invalidRequest(name, "must offer 1-200 scopes");
    }
    for (String scope : scopes) {
      if (!Scopes.isValidToken(scope)) {
        throw invalidRequest(name, "contains an invalid scope (RFC 6749 §3.3 scope-token)");
      }
    }
    return List.copyOf(new java.util.LinkedHashSet<>(scopes));
  }
}
