package dev.tokenbroker.provider;

import dev.tokenbroker.api.ApiException;
import dev.tokenbroker.api.ProblemCodes;
import dev.tokenbroker.audit.AuditActions;
import dev.tokenbroker.audit.AuditEvent;
import dev.tokenbroker.audit.AuditLog;
import dev.tokenbroker.cluster.ChangeAnnouncer;
import dev.tokenbroker.cluster.ChangeNotice;
import dev.tokenbroker.db.ConcurrentWriteException;
import dev.tokenbroker.db.Database;
import dev.tokenbroker.secrets.ClientSecretStore;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.StringJoiner;
import org.jboss.logging.Logger;

/** Registers, replaces, lists and removes upstream providers. */
@ApplicationScoped
public class ProviderService {

  private static final Logger LOG = Logger.getLogger(ProviderService.class);

  /** Parameters: the values of every column in their order, then the new version. */
  private static final String UPDATE = update();

  private final AuditLog audit;
  private final Database db;
  private final ProviderDefinitions definitions;
  private final ClientSecretStore secrets;
  private final Clock clock;
  private final Event<ProviderChanged> changed;
  private final ChangeAnnouncer announcer;
  private final Event<ProviderDeleting> deletingEvent;
  private final Event<ProviderRemoved> removedEvent;

  public ProviderService(
      Database db,
      ProviderDefinitions definitions,
      ClientSecretStore secrets,
      Clock clock,
      Event<ProviderChanged> changed,
      ChangeAnnouncer announcer,
      Event<ProviderDeleting> deletingEvent,
      Event<ProviderRemoved> removedEvent,
      AuditLog audit) {
    this.audit = audit;
    this.db = db;
    this.definitions = definitions;
    this.secrets = secrets;
    this.clock = clock;
    this.changed = changed;
    this.announcer = announcer;
    this.deletingEvent = deletingEvent;
    this.removedEvent = removedEvent;
  }

  /** Creates or replaces; a replace without {@code client_secret} keeps the stored one. */
  @Transactional
  public Upsert put(String id, ProviderRequest body) {
    return put(id, body, null);
  }

  /**
   * As {@link #put(String, ProviderRequest)}; a {@code registration} replaces the stored one with
   * the client id and secret of {@code body} in the same transaction. Without one, a provider that
   * registers dynamically keeps its registration and any other provider has none.
   */
  @Transactional
  public Upsert put(String id, ProviderRequest body, ClientRegistration registration) {
    ProviderDefinitions.requireValidId(id);
    ProviderEntity entity = ProviderEntity.find(db, id).orElse(null);
    boolean created = entity == null;
    ProviderDefinition def =
        definitions.resolve(id, body, !created && entity.clientSecretCiphertext != null);
    if (!created && body.clientSecret() == null && entity.clientSecretCiphertext != null) {
      requireSecretStaysWithItsEndpoints(entity, def);
    }
    Instant now = clock.instant();
    if (created) {
      entity = new ProviderEntity();
      entity.id = id;
      entity.createdAt = now;
    }
    entity.define(def);
    if (body.clientSecret() != null) {
      entity.clientSecretCiphertext = secrets.store(id, body.clientSecret());
    }
    if (registration != null) {
      registration.applyTo(entity);
    } else if (!def.preset().registersDynamically()) {
      ClientRegistration.clear(entity);
    }
    // a changed definition may fix refused credentials: the scheduler tries again
    entity.credentialsRejectedAt = null;
    entity.updatedAt = now;
    if (created) {
      db.update("Storing provider " + id, ProviderEntity.INSERT, entity.values());
    } else {
      update(entity);
    }
    LOG.infof(
        "%s provider %s (preset %s, %s, token endpoint %s)",
        created ? "Registered" : "Replaced", id, def.preset(), def.grantType(), def.tokenUrl());
    changed.fire(new ProviderChanged(id));
    announcer.announce(ChangeNotice.provider(id));
    audit.record(
        AuditEvent.success(created ? AuditActions.PROVIDER_CREATED : AuditActions.PROVIDER_REPLACED)
            .provider(id)
            .detail(body.clientSecret() != null ? "client secret set" : null));
    return new Upsert(ProviderView.of(entity), created);
  }

  /**
   * DESIGN §6: a stored secret is only ever sent where it was given for. Moving the endpoints or
   * the client it belongs to needs the secret again.
   */
  private static void requireSecretStaysWithItsEndpoints(
      ProviderEntity stored, ProviderDefinition next) {
    String moved = null;
    if (!Objects.equals(stored.clientId, next.clientId())) {
      moved = "client_id";
    } else if (!Objects.equals(stored.tokenUrl, next.tokenUrl())) {
      moved = "token_url";
    } else if (!Objects.equals(stored.revocationUrl, next.revocationUrl())) {
      moved = "revocation_url";
    } else if (!Objects.equals(
        UpstreamUrls.host(stored.authorizationUrl), UpstreamUrls.host(next.authorizationUrl()))) {
      moved = "authorization_url";
    }
    if (moved != null) {
      throw ApiException.badField(
          ProblemCodes.CLIENT_SECRET_REQUIRED,
          "client_secret",
          "is required when "
              + moved
              + " changes: the stored secret is only sent where it was given for");
    }
  }

  @Transactional
  public List<ProviderView> list() {
    return db
        .list(
            "Reading providers",
            "select " + ProviderEntity.COLUMNS + " from provider order by id",
            ProviderEntity::read)
        .stream()
        .map(ProviderView::of)
        .toList();
  }

  @Transactional
  public ProviderView get(String id) {
    return ProviderView.of(find(id));
  }

  /** The stored entity, or 404 {@code provider_not_found}. */
  public ProviderEntity find(String id) {
    return (id == null ? Optional.<ProviderEntity>empty() : ProviderEntity.find(db, id))
        .orElseThrow(
            () -> ApiException.notFound(ProblemCodes.PROVIDER_NOT_FOUND, "No provider " + id));
  }

  /**
   * Writes every column and the next version if nobody wrote the row since it was read (its version
   * is still the one read); a 409 otherwise.
   */
  private void update(ProviderEntity entity) {
    Object[] values = entity.values();
    Object[] parameters = Arrays.copyOf(values, values.length + 1);
    parameters[values.length] = entity.version + 1;
    if (db.update("Storing provider " + entity.id, UPDATE, parameters) != 1) {
      throw new ConcurrentWriteException("Provider " + entity.id + " was changed meanwhile");
    }
    entity.version++;
  }

  private static String update() {
    String[] columns = ProviderEntity.COLUMNS.split(", ");
    StringJoiner set = new StringJoiner(", ", "update provider set ", "");
    for (int i = 1; i < columns.length; i++) {
      boolean version = columns[i].equals("version");
      set.add(columns[i] + " = ?" + (version ? columns.length + 1 : i + 1));
    }
    return set + " where id = ?1 and version = ?" + (Arrays.asList(columns).indexOf("version") + 1);
  }

  @Transactional
  public void delete(String id, boolean cascade) {
    ProviderEntity entity = find(id);
    ProviderDeleting deleting = new ProviderDeleting(id, cascade);
    deletingEvent.fire(deleting);
    int grants = deleting.grantsDeleted();
    secrets.delete(id, entity.clientSecretCiphertext);
    db.update("Deleting provider " + id, "delete from provider where id = ?1", id);
    LOG.infof("Deleted provider %s and %d grant(s)", id, grants);
    audit.record(
        AuditEvent.success(AuditActions.PROVIDER_DELETED)
            .provider(id)
            .detail(grants + " grant(s) deleted"));
    changed.fire(new ProviderChanged(id));
    announcer.announce(ChangeNotice.provider(id));
    removedEvent.fire(
        new ProviderRemoved(
            id, entity.registrationClientUri, entity.registrationAccessTokenCiphertext));
  }

  /** The result of a PUT: the provider and whether it was new. */
  public record Upsert(ProviderView provider, boolean created) {}
}
