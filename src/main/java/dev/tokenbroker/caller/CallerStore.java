package dev.tokenbroker.caller;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.util.List;
import java.util.Optional;

/** Database access for callers and their API keys. */
@ApplicationScoped
public class CallerStore {

  private static final TypeReference<List<AllowRule>> RULES = new TypeReference<>() {};

  private final EntityManager em;
  private final ObjectMapper json;

  public CallerStore(EntityManager em, ObjectMapper json) {
    this.em = em;
    this.json = json;
  }

  @Transactional
  public Optional<CallerAuthenticator.KnownKey> findKey(String keyId) {
    ApiKeyEntity key = em.find(ApiKeyEntity.class, keyId);
    if (key == null) {
      return Optional.empty();
    }
    CallerEntity caller = em.find(CallerEntity.class, key.callerId);
    if (caller == null) {
      return Optional.empty();
    }
    return Optional.of(CallerAuthenticator.KnownKey.of(key.secretSha256, toCaller(caller)));
  }

  /** The caller a Kubernetes service account authenticates as. */
  @Transactional
  public Optional<AuthenticatedCaller> findServiceAccount(String subject) {
    ServiceAccountEntity account = em.find(ServiceAccountEntity.class, subject);
    if (account == null) {
      return Optional.empty();
    }
    return Optional.ofNullable(em.find(CallerEntity.class, account.callerId)).map(this::toCaller);
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
