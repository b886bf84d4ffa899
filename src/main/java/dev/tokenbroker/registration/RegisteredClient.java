package dev.tokenbroker.registration;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tokenbroker.provider.UpstreamUrls;
import java.time.Instant;
import java.util.regex.Pattern;

/**
 * A host's RFC 7591 / 7592 answer: the client it registered. {@code clientSecretExpiresAt} is null
 * when the secret does not expire; the registration URI and token are null when the host offers no
 * RFC 7592 management.
 */
record RegisteredClient(
    String clientId,
    String clientSecret,
    Instant clientSecretExpiresAt,
    String registrationClientUri,
    String registrationAccessToken) {

  private static final Pattern PRINTABLE = Pattern.compile("[\\x20-\\x7E]{1,512}");

  /**
   * Reads an answer; {@code previous} fills what an RFC 7592 update may leave out (the access token
   * stays the same; a null secret means the stored one stays). An unusable answer is a refused
   * registration.
   */
  static RegisteredClient read(JsonNode answer, RegisteredClient previous) {
    String clientId = text(answer, "client_id");
    if (clientId == null || !PRINTABLE.matcher(clientId).matches()) {
      throw HostException.registrationRejected("no usable client_id in the host's answer");
    }
    String secret = text(answer, "client_secret");
    boolean kept = secret == null && previous != null;
    if (!kept && (secret == null || secret.isEmpty() || secret.length() > 4096)) {
      throw HostException.registrationRejected("no usable client_secret in the host's answer");
    }
    JsonNode expires = answer.path("client_secret_expires_at");
    Instant expiresAt =
        expires.canConvertToLong() && expires.asLong() > 0
            ? Instant.ofEpochSecond(expires.asLong())
            : null;
    String uri = text(answer, "registration_client_uri");
    String token = text(answer, "registration_access_token");
    if (previous != null) {
      uri = uri != null ? uri : previous.registrationClientUri;
      token = token != null ? token : previous.registrationAccessToken;
    }
    if (uri == null || token == null || UpstreamUrls.syntaxProblem(uri).isPresent()) {
      uri = null;
      token = null;
    }
    return new RegisteredClient(clientId, secret, expiresAt, uri, token);
  }

  boolean manageable() {
    return registrationClientUri != null;
  }

  private static String text(JsonNode node, String member) {
    JsonNode value = node.path(member);
    return value.isTextual() ? value.asText() : null;
  }

  /** Never prints the secret or the registration access token. */
  @Override
  public String toString() {
    return "RegisteredClient[" + clientId + ", secret expires " + clientSecretExpiresAt + "]";
  }
}
