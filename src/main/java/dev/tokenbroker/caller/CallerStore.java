package dev.tokenbroker.caller;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tokenbroker.db.Database;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.util.List;
import java.util.Optional;

/** Database access for callers and their API keys. */
@ApplicationScoped
public class CallerStore {

  private static final TypeReference<List<AllowRule>> RULES = new TypeReference<>() {};

  private final Database db;
  private final ObjectMapper json;

  public CallerStore(Database db, ObjectMapper json) {
    this.db = db;
    this.json = json;
  }

  @Transactional
  public Optional<CallerAuthenticator.KnownKey> findKey(String keyId) {
    ApiKeyEntity key = key(keyId).orElse(null);
    if (key == null) {
      return Optional.empty();
    }
    return caller(key.callerId)
        .map(caller -> CallerAuthenticator.KnownKey.of(key.secretSha256, toCaller(caller)));
  }

  /** The caller a Kubernetes service account authenticates as. */
  @Transactional
  public Optional<AuthenticatedCaller> findServiceAccount(String subject) {
    return serviceAccount(subject).flatMap(account -> caller(account.callerId)).map(this::toCaller);
  }

  Optional<CallerEntity> caller(String id) {
    return db.first(
        "Reading caller " + id,
        "select " + CallerEntity.COLUMNS + " from caller where id = ?1",
        CallerEntity::read,
        id);
  }

  Optional<ApiKeyEntity> key(String keyId) {
    return db.first(
        "Reading API key " + keyId,
        "select " + ApiKeyEntity.COLUMNS + " from api_key where id = ?1",
        ApiKeyEntity::read,
        keyId);
  }

  Optional<ServiceAccountEntity> serviceAccount(String subject) {
    return db.first(
        "Reading a service account",
        "select "
            + ServiceAccountEntity.COLUMNS
            + " from caller_service_account where subject = ?1",
        ServiceAccountEntity::read,
        subject);
  }

  public AuthenticatedCaller toCaller(CallerEntity entity) {
    return new AuthenticatedCaller(entity.id, entity.name, entity.role, rules(entity));
  }

  public List<AllowRule> rules(CallerEntity entity) {
    try {
      return json.readValue(entity.allowRules, RULES);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("Stored allow rules of caller " + entity.id + " are corrupt");
    }
  }

  public String rulesJson(List<AllowRule> rules) {
    try {
      return json.writeValueAsString(rules);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
