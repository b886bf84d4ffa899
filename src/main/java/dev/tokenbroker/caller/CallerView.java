package dev.tokenbroker.caller;

import java.time.Instant;
import java.util.List;

/** A caller as the API shows it: key ids, never keys. */
public record CallerView(
    String id,
    String name,
    Role role,
    List<AllowRule> allow,
    List<String> serviceAccounts,
    List<KeyView> apiKeys,
    Instant createdAt,
    Instant updatedAt) {

  /** One API key's id and age. */
  public record KeyView(String keyId, Instant createdAt) {}

  /** The reply to creating a caller: the only time its first key is shown. */
  public record Created(
      String id,
      String name,
      Role role,
      List<AllowRule> allow,
      List<String> serviceAccounts,
      String keyId,
      String apiKey,
      Instant createdAt) {}

  /** The reply to creating an additional key. */
  public record NewKey(String keyId, String apiKey, Instant createdAt) {}
}
