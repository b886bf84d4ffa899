package dev.tokenbroker.registration;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tokenbroker.outbound.OutboundHttp;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;
import java.util.regex.Pattern;
import org.jboss.logging.Logger;

/**
 * The broker's side of RFC 7591 (register) and RFC 7592 (update, delete) at a host. A refusal is
 * 502 {@code registration_rejected} with the host's error code; an unreachable host or a 5xx is 502
 * {@code discovery_failed}.
 */
@ApplicationScoped
class ClientRegistrar {

  private static final Logger LOG = Logger.getLogger(ClientRegistrar.class);
  private static final Pattern ERROR_CODE = Pattern.compile("[\\x20-\\x21\\x23-\\x5B\\x5D-\\x7E]+");

  private final OutboundHttp http;

  ClientRegistrar(OutboundHttp http) {
    this.http = http;
  }

  RegisteredClient register(String registrationUrl, ObjectNode metadata) {
    OutboundHttp.Answer answer = call("POST", registrationUrl, null, metadata);
    if (answer.status() != 201 && answer.status() != 200) {
      throw HostException.registrationRejected(errorOf(answer));
    }
    return RegisteredClient.read(body(answer), null);
  }

  /**
   * Updates the registration (RFC 7592 §2.2), which keeps the client id and may issue a new secret;
   * empty when the host no longer knows the client or its access token (then register anew).
   */
  Optional<RegisteredClient> update(RegisteredClient current, ObjectNode metadata) {
    ObjectNode body = metadata.deepCopy();
    body.put("client_id", current.clientId());
    OutboundHttp.Answer answer =
        call("PUT", current.registrationClientUri(), current.registrationAccessToken(), body);
    if (answer.status() == 401 || answer.status() == 403 || answer.status() == 404) {
      LOG.infof(
          "The host no longer manages client %s (%d): registering anew",
          current.clientId(), answer.status());
      return Optional.empty();
    }
    if (answer.status() != 200) {
      throw HostException.registrationRejected(errorOf(answer));
    }
    return Optional.of(RegisteredClient.read(body(answer), current));
  }

  /** Deletes a registration (RFC 7592 §2.3); logs instead of throwing, the caller goes on. */
  void delete(String registrationClientUri, String registrationAccessToken, String what) {
    try {
      OutboundHttp.Answer answer =
          http.send("DELETE", registrationClientUri, registrationAccessToken, null);
      if (answer.status() == 204 || answer.status() == 200 || answer.status() == 404) {
        LOG.infof("Deleted the registration of %s at the host", what);
      } else {
        LOG.warnf(
            "The host answered %d to the deletion of the registration of %s; it may remain there",
            answer.status(), what);
      }
    } catch (OutboundHttp.Unreachable e) {
      LOG.warnf(
          "The registration of %s could not be deleted at the host (%s); it may remain there",
          what, e.getMessage());
    }
  }

  private OutboundHttp.Answer call(String method, String url, String bearer, JsonNode body) {
    OutboundHttp.Answer answer;
    try {
      answer = http.send(method, url, bearer, body);
    } catch (OutboundHttp.Unreachable e) {
      throw HostException.discoveryFailed("The registration endpoint failed: " + e.getMessage());
    }
    if (answer.status() >= 500) {
      throw HostException.discoveryFailed("The registration endpoint answered " + answer.status());
    }
    return answer;
  }

  private static JsonNode body(OutboundHttp.Answer answer) {
    return answer
        .body()
        .filter(JsonNode::isObject)
        .orElseThrow(() -> HostException.registrationRejected("no JSON object in the answer"));
  }

  /** The host's RFC 7591 §3.2.2 error code, printable and short, or the status. */
  private static String errorOf(OutboundHttp.Answer answer) {
    String error = answer.body().map(b -> b.path("error").asText("")).orElse("");
    if (error.isEmpty() || error.length() > 64 || !ERROR_CODE.matcher(error).matches()) {
      return "status " + answer.status();
    }
    return error + " (status " + answer.status() + ")";
  }
}
