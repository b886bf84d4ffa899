package dev.tokenbroker.connection;

import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** The answer of {@code POST /v1/providers/{id}/test}: ok when every check passed. */
public record ConnectionTestResult(
    @Schema(examples = "badgr-us") String providerId,
    @Schema(examples = "true") boolean ok,
    List<ConnectionCheck> checks) {

  static ConnectionTestResult of(String providerId, List<ConnectionCheck> checks) {
    return new ConnectionTestResult(
        providerId, checks.stream().allMatch(ConnectionCheck::ok), List.copyOf(checks));
  }
}
