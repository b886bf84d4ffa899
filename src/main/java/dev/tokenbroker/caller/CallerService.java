package dev.tokenbroker.caller;

import dev.tokenbroker.api.ApiException;
import dev.tokenbroker.api.Ids;
import dev.tokenbroker.api.ProblemCodes;
import dev.tokenbroker.audit.AuditActions;
import dev.tokenbroker.audit.AuditEvent;
import dev.tokenbroker.audit.AuditLog;
import dev.tokenbroker.cluster.ChangeAnnouncer;
import dev.tokenbroker.cluster.ChangeNotice;
import dev.tokenbroker.db.Database;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.core.Response.Status;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import org.jboss.logging.Logger;

/** Creates, lists and deletes callers and their API keys. */
@ApplicationScoped
public class CallerService {

  private static final Logger LOG = Logger.getLogger(CallerService.class);

  private final AuditLog audit;
  private final Database db;
  private final CallerStore store;
  private final CallerAuthenticator authenticator;
  private final Clock clock;
  private final ChangeAnnouncer announcer;

  public CallerService(
      Database db,
      CallerStore store,
      CallerAuthenticator authenticator,
      Clock clock,
      ChangeAnnouncer announcer,
      AuditLog audit) {
    this.audit = audit;
    this.db = db;
    this.store = store;
    this.authenticator = authenticator;
    this.clock = clock;
    this.announcer = announcer;
  }

  @Transactional
  public CallerView.Created create(CallerRequest request) {
    boolean taken =
        db.first(
                "Reading callers by name",
                "select id from caller where name = ?1",
                row -> row.getString(1),
                request.name())
            .isPresent();
    if (taken) {
      throw new ApiException(
          Status.CONFLICT,
          ProblemCodes.CALLER_NAME_TAKEN,
          "A caller named " + request.name() + " exists");
    }
    Instant now = clock.instant();
    CallerEntity caller = new CallerEntity();
    caller.id = Ids.newId("clr");
    caller.name = request.name();
    caller.role = request.role();
    List<AllowRule> allow = request.allow() == null ? List.of() : request.allow();
    caller.allowRules = store.rulesJson(allow);
    caller.createdAt = now;
    caller.updatedAt = now;
    db.update("Storing caller " + caller.id, CallerEntity.INSERT, caller.values());
    List<String> serviceAccounts = addServiceAccounts(caller.id, request.serviceAccounts(), now);
    ApiKeys.Issued key = addKey(caller.id, now);
    LOG.infof(
        "Created caller %s (%s, role %s) with key %s",
        caller.id, caller.name, caller.role, key.keyId());
    audit.record(
        AuditEvent.success(AuditActions.CALLER_CREATED)
            .target(caller.id)
            .detail("role " + caller.role + ", key " + key.keyId()));
    return new CallerView.Created(
        caller.id,
        caller.name,
        caller.role,
        allow,
        serviceAccounts,
        key.keyId(),
        key.apiKey(),
        now);
  }

  @Transactional
  public List<CallerView> list() {
    return db
        .list(
            "Reading callers",
            "select " + CallerEntity.COLUMNS + " from caller order by name",
            CallerEntity::read)
        .stream()
        .map(this::view)
        .toList();
  }

  @Transactional
  public CallerView get(String id) {
    return view(find(id));
  }

  @Transactional
  public void delete(String id) {
    CallerEntity caller = find(id);
    db.update("Deleting the keys of caller " + id, "delete from api_key where caller_id = ?1", id);
    db.update(
        "Deleting the service accounts of caller " + id,
        "delete from caller_service_account where caller_id = ?1",
        id);
    db.update("Deleting caller " + id, "delete from caller where id = ?1", id);
    authenticator.forgetCaller(id);
    announcer.announce(ChangeNotice.caller(id));
    LOG.infof("Deleted caller %s (%s) and its keys", id, caller.name);
    audit.record(AuditEvent.success(AuditActions.CALLER_DELETED).target(id));
  }

  @Transactional
  public CallerView.NewKey newKey(String callerId) {
    find(callerId);
    Instant now = clock.instant();
    ApiKeys.Issued key = addKey(callerId, now);
    LOG.infof("Issued API key %s to caller %s", key.keyId(), callerId);
    audit.record(
        AuditEvent.success(AuditActions.API_KEY_CREATED).target(callerId).detail(key.keyId()));
    return new CallerView.NewKey(key.keyId(), key.apiKey(), now);
  }

  @Transactional
  public void deleteKey(String callerId, String keyId) {
    ApiKeyEntity key = store.key(keyId).orElse(null);
    if (key == null || !key.callerId.equals(callerId)) {
      throw ApiException.notFound(
          ProblemCodes.API_KEY_NOT_FOUND, "No API key " + keyId + " for caller " + callerId);
    }
    db.update("Deleting API key " + keyId, "delete from api_key where id = ?1", keyId);
    authenticator.forgetKey(keyId);
    announcer.announce(ChangeNotice.apiKey(keyId));
    LOG.infof("Deleted API key %s of caller %s", keyId, callerId);
    audit.record(AuditEvent.success(AuditActions.API_KEY_DELETED).target(callerId).detail(keyId));
  }

  /** Maps each service account to this caller; one mapped to another caller is a 409. */
  private List<String> addServiceAccounts(String callerId, List<String> subjects, Instant now) {
    List<String> distinct = subjects == null ? List.of() : subjects.stream().distinct().toList();
    for (String subject : distinct) {
      ServiceAccountEntity taken = store.serviceAccount(subject).orElse(null);
      if (taken != null) {
        throw new ApiException(
            Status.CONFLICT,
            ProblemCodes.CONFLICT,
            "Service account " + subject + " belongs to caller " + taken.callerId);
      }
      ServiceAccountEntity account = new ServiceAccountEntity();
      account.subject = subject;
      account.callerId = callerId;
      account.createdAt = now;
      db.update("Storing a service account", ServiceAccountEntity.INSERT, account.values());
    }
    return distinct;
  }

  private ApiKeys.Issued addKey(String callerId, Instant now) {
    ApiKeys.Issued issued = ApiKeys.issue();
    ApiKeyEntity key = new ApiKeyEntity();
    key.id = issued.keyId();
    key.callerId = callerId;
    key.secretSha256 = issued.secretSha256();
    key.createdAt = now;
    db.update("Storing API key " + key.id, ApiKeyEntity.INSERT, key.values());
    return issued;
  }

  private CallerEntity find(String id) {
    return store
        .caller(id)
        .orElseThrow(() -> ApiException.notFound(ProblemCodes.CALLER_NOT_FOUND, "No caller " + id));
  }

  private CallerView view(CallerEntity caller) {
    List<CallerView.KeyView> keys =
        db
            .list(
                "Reading the keys of caller " + caller.id,
                "select "
                    + ApiKeyEntity.COLUMNS
                    + " from api_key where caller_id = ?1 order by created_at",
                ApiKeyEntity::read,
                caller.id)
            .stream()
            .map(k -> new CallerView.KeyView(k.id, k.createdAt))
            .toList();
    List<String> serviceAccounts =
        db.list(
            "Reading the service accounts of caller " + caller.id,
            "select subject from caller_service_account where caller_id = ?1 order by subject",
            row -> row.getString(1),
            caller.id);
    return new CallerView(
        caller.id,
        caller.name,
        caller.role,
        store.rules(caller),
        serviceAccounts,
        keys,
        caller.createdAt,
        caller.updatedAt);
  }
}
