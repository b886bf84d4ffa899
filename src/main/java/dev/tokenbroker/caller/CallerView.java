package dev.tokenbroker.caller;

import java.time.Instant;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** A caller as the API shows it: key ids, never keys. */
public record CallerView(
    @Schema(examples = "clr_abcdefghijklmnopqrst") String id,
    @Schema(examples = "issuer-svc") String name,
    Role role,
    List<AllowRule> allow,
    @Schema(examples = "[\"system:serviceaccount:badges:issuer-svc\"]")
        List<String> serviceAccounts,
    List<KeyView> apiKeys,
    @Schema(examples = "2026-12-03T12:00:00Z") Instant createdAt,
    @Schema(examples = "2026-12-03T12:00:00Z") Instant updatedAt) {

  /** One API key's id and age. */
  public record KeyView(
      @Schema(examples = "abcdefghijklmnop") String keyId,
      @Schema(examples = "2026-12-03T12:00:00Z") Instant createdAt) {}

  /** The reply to creating a caller: the only time its first key is shown. */
  public record Created(
      @Schema(examples = "clr_abcdefghijklmnopqrst") String id,
      @Schema(examples = "issuer-svc") String name,
      Role role,
      List<AllowRule> allow,
      @Schema(examples = "[\"system:serviceaccount:badges:issuer-svc\"]")
          List<String> serviceAccounts,
      @Schema(examples = "abcdefghijklmnop") String keyId,
      @Schema(examples = "tbk_abcdefghijklmnop_...") String apiKey,
      @Schema(examples = "2026-12-03T12:00:00Z") Instant createdAt) {}

  /** The reply to creating an additional key. */
  public record NewKey(
      @Schema(examples = "abcdefghijklmnop") String keyId,
      @Schema(examples = "tbk_abcdefghijklmnop_...") String apiKey,
      @Schema(examples = "2026-12-03T12:00:00Z") Instant createdAt) {}
}
