package dev.tokenbroker.registration;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tokenbroker.ops.BrokerConfig;
import dev.tokenbroker.provider.Scopes;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Optional;

/**
 * The broker's RFC 7591 client metadata: who it is ({@code broker.registration.*}), where the
 * browser comes back, and the one way it authenticates and the grants it uses.
 */
@ApplicationScoped
class ClientMetadata {

  private final RegistrationConfig config;
  private final BrokerConfig broker;

  ClientMetadata(RegistrationConfig config, BrokerConfig broker) {
    this.config = config;
    this.broker = broker;
  }

  ObjectNode of(String redirectUri, List<String> scopes) {
    ObjectNode metadata = JsonNodeFactory.instance.objectNode();
    metadata.put("client_name", config.clientName());
    metadata.put("client_uri", config.clientUri().orElse(broker.publicUrl()));
    put(metadata, "logo_uri", config.logoUri());
    put(metadata, "tos_uri", config.tosUri());
    put(metadata, "policy_uri", config.policyUri());
    metadata.put("software_id", config.softwareId());
    metadata.put("software_version", config.softwareVersion());
    metadata.putArray("redirect_uris").add(redirectUri);
    metadata.put("token_endpoint_auth_method", "client_secret_basic");
    metadata.putArray("grant_types").add("authorization_code").add("refresh_token");
    metadata.putArray("response_types").add("code");
    metadata.put("scope", Scopes.join(scopes));
    return metadata;
  }

  private static void put(ObjectNode metadata, String member, Optional<String> value) {
    value.ifPresent(v -> metadata.put(member, v));
  }
}
