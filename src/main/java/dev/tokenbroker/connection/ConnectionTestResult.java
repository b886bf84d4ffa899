package dev.tokenbroker.connection;

import java.util.List;

/** The answer of {@code POST /v1/providers/{id}/test}: ok when every check passed. */
public record ConnectionTestResult(String providerId, boolean ok, List<ConnectionCheck> checks) {

  static ConnectionTestResult of(String providerId, List<ConnectionCheck> checks) {
    return new ConnectionTestResult(
        providerId, checks.stream().allMatch(ConnectionCheck::ok), List.copyOf(checks));
  }
}
