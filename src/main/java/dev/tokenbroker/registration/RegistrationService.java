package dev.tokenbroker.registration;

import static dev.tokenbroker.api.ApiException.invalidRequest;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tokenbroker.api.ApiException;
import dev.tokenbroker.api.ProblemCodes;
import dev.tokenbroker.audit.AuditActions;
import dev.tokenbroker.audit.AuditEvent;
import dev.tokenbroker.audit.AuditLog;
import dev.tokenbroker.provider.ClientAuthMethod;
import dev.tokenbroker.provider.ClientRegistration;
import dev.tokenbroker.provider.DynamicRegistration;
import dev.tokenbroker.provider.GrantType;
import dev.tokenbroker.provider.PkceMethod;
import dev.tokenbroker.provider.ProviderDefinition;
import dev.tokenbroker.provider.ProviderDefinitions;
import dev.tokenbroker.provider.ProviderRequest;
import dev.tokenbroker.provider.ProviderService;
import dev.tokenbroker.provider.ProviderView;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Connects a badge host with one PUT: fetch its discovery document, register the broker there (RFC
 * 7591), store the provider with the issued client. Registers again on request, before the secret
 * expires and when the host refuses the credentials: an RFC 7592 update where the host offers one
 * (same client id, so grants stay usable), else a new registration. Never inside a transaction.
 */
@ApplicationScoped
public class RegistrationService implements DynamicRegistration {

  private static final Logger LOG = Logger.getLogger(RegistrationService.class);
  private static final String PENDING_CLIENT = "registration-pending";

  private final HostDocuments documents;
  private final ClientRegistrar registrar;
  private final ClientMetadata metadata;
  private final ProviderDefinitions definitions;
  private final ProviderService providers;
  private final RegistrationStore store;
  private final RegistrationTokens tokens;
  private final RegistrationSchedule schedule;
  private final AuditLog audit;
  private final Clock clock;

  RegistrationService(
      HostDocuments documents,
      ClientRegistrar registrar,
      ClientMetadata metadata,
      ProviderDefinitions definitions,
      ProviderService providers,
      RegistrationStore store,
      RegistrationTokens tokens,
      RegistrationSchedule schedule,
      AuditLog audit,
      Clock clock) {
    this.documents = documents;
    this.registrar = registrar;
    this.metadata = metadata;
    this.definitions = definitions;
    this.providers = providers;
    this.store = store;
    this.tokens = tokens;
    this.schedule = schedule;
    this.audit = audit;
    this.clock = clock;
  }

  @Override
  public ProviderService.Upsert put(String id, ProviderRequest body) {
    ProviderDefinitions.requireValidId(id);
    rejectSupplied(body);
    if (body.discoveryUrl() == null) {
      throw invalidRequest("discovery_url", "is required for the " + body.preset() + " preset");
    }
    definitions.requireEndpoint("discovery_url", body.discoveryUrl(), true);
    HostDocument host = documents.fetch(body.preset(), body.discoveryUrl());
    List<String> scopes = HostScopes.requested(body.preset(), body.scopes(), host);
    List<String> defaultScopes = body.defaultScopes() == null ? scopes : body.defaultScopes();
    // everything the broker can check is checked before anything is registered at the host
    ProviderDefinition checked =
        definitions.resolve(
            id, withHost(body, host, PENDING_CLIENT, null, scopes, defaultScopes), true);

    Optional<StoredRegistration> current = store.find(id);
    if (current.isPresent() && current.get().sameAs(body, scopes, checked.redirectUri())) {
      String clientId = current.get().client().clientId();
      return providers.put(id, withHost(body, host, clientId, null, scopes, defaultScopes), null);
    }
    RegisteredClient client =
        registrar.register(host.registrationUrl(), metadata.of(checked.redirectUri(), scopes));
    ProviderService.Upsert result;
    try {
      result = store(id, withHost(body, host, client, scopes, defaultScopes), client, body);
    } catch (RuntimeException e) {
      deleteAtHost(client, id + " (not stored)");
      throw e;
    }
    current
        .map(StoredRegistration::client)
        .filter(old -> old.manageable() && !old.clientId().equals(client.clientId()))
        .ifPresent(old -> deleteAtHost(old, id + " (replaced)"));
    return result;
  }

  /**
   * Registers the provider again now ({@code reason} goes to the log and audit trail). 404 for no
   * provider, 400 for one that does not register dynamically, 409 while another replica does.
   */
  public ProviderView registerAgain(String id, String reason) {
    Optional<StoredRegistration> claimed = store.claim(id);
    if (claimed.isEmpty()) {
      ProviderView provider = providers.get(id);
      if (provider.registration() == null) {
        throw invalidRequest(
            "provider_id", "registers only with the badge-connect, open-badges-3 or clr-2 preset");
      }
      throw new ApiException(
          409, ProblemCodes.CONFLICT, "Provider " + id + " is being registered right now");
    }
    try {
      StoredRegistration stored = claimed.get();
      ProviderRequest definition = stored.definition();
      HostDocument host = documents.fetch(definition.preset(), definition.discoveryUrl());
      ObjectNode request = metadata.of(stored.redirectUri(), stored.scopes());
      RegisteredClient previous = stored.client();
      Optional<RegisteredClient> updated =
          previous.manageable() ? registrar.update(previous, request) : Optional.empty();
      RegisteredClient client =
          updated.orElseGet(() -> registrar.register(host.registrationUrl(), request));
      ProviderService.Upsert result =
          store(
              id,
              withHost(definition, host, client, stored.scopes(), definition.defaultScopes()),
              client,
              definition);
      LOG.infof("Registered provider %s again (%s)", id, reason);
      if (updated.isEmpty() && previous.manageable()) {
        deleteAtHost(previous, id + " (replaced)");
      }
      return result.provider();
    } catch (RuntimeException e) {
      store.release(id);
      LOG.warnf("Registering provider %s again (%s) failed: %s", id, reason, e.getMessage());
      throw e;
    }
  }

  private ProviderService.Upsert store(
      String id, ProviderRequest request, RegisteredClient client, ProviderRequest body) {
    ClientRegistration registration =
        new ClientRegistration(
            body.discoveryUrl(),
            clock.instant(),
            client.clientSecretExpiresAt(),
            client.registrationClientUri(),
            tokens.seal(id, client.registrationAccessToken()));
    ProviderService.Upsert result = providers.put(id, request, registration);
    schedule.registered(id, registration.registeredAt(), client.clientSecretExpiresAt());
    LOG.infof(
        "Provider %s: the host registered the broker as client %s (secret %s%s)",
        id,
        client.clientId(),
        client.clientSecretExpiresAt() == null
            ? "does not expire"
            : "expires " + client.clientSecretExpiresAt(),
        client.manageable() ? ", managed by RFC 7592" : "");
    audit.record(
        AuditEvent.success(AuditActions.PROVIDER_REGISTERED)
            .provider(id)
            .detail("client " + client.clientId()));
    return result;
  }

  private void deleteAtHost(RegisteredClient client, String what) {
    if (client.manageable()) {
      registrar.delete(client.registrationClientUri(), client.registrationAccessToken(), what);
    }
  }

  private static ProviderRequest withHost(
      ProviderRequest body,
      HostDocument host,
      RegisteredClient client,
      List<String> scopes,
      List<String> defaultScopes) {
    return withHost(body, host, client.clientId(), client.clientSecret(), scopes, defaultScopes);
  }

  private static ProviderRequest withHost(
      ProviderRequest body,
      HostDocument host,
      String clientId,
      String clientSecret,
      List<String> scopes,
      List<String> defaultScopes) {
    return body.registered(
        host.authorizationUrl(),
        host.tokenUrl(),
        host.revocationUrl(),
        clientId,
        clientSecret,
        scopes,
        defaultScopes);
  }

  /** What the host's document and registration decide may not be given in the PUT. */
  private static void rejectSupplied(ProviderRequest body) {
    String preset = "the " + body.preset() + " preset";
    reject("client_id", body.clientId(), preset + " obtains it by registration");
    reject("client_secret", body.clientSecret(), preset + " obtains it by registration");
    reject("authorization_url", body.authorizationUrl(), preset + " reads it from discovery_url");
    reject("token_url", body.tokenUrl(), preset + " reads it from discovery_url");
    reject("revocation_url", body.revocationUrl(), preset + " reads it from discovery_url");
    reject("base_url", body.baseUrl(), preset + " reads the endpoints from discovery_url");
    reject("authorization_base_url", body.authorizationBaseUrl(), preset + " takes none");
    reject("region", body.region(), preset + " has no regions");
    if (body.grantType() != null && body.grantType() != GrantType.AUTHORIZATION_CODE) {
      throw invalidRequest("grant_type", preset + " uses authorization_code");
    }
    if (body.clientAuthMethod() != null
        && body.clientAuthMethod() != ClientAuthMethod.CLIENT_SECRET_BASIC) {
      throw invalidRequest("client_auth_method", preset + " uses client_secret_basic only");
    }
    if (body.pkce() != null && body.pkce() != PkceMethod.S256) {
      throw invalidRequest("pkce", preset + " requires S256");
    }
  }

  private static void reject(String field, Object value, String why) {
    if (value != null) {
      throw invalidRequest(field, why);
    }
  }
}
