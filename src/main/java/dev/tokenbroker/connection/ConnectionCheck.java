package dev.tokenbroker.connection;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * One step of a provider connection test. {@code code} is the problem code a token request would
 * have got (null when the step passed); {@code detail} never contains a credential.
 */
public record ConnectionCheck(
    @Schema(examples = "token_endpoint") String name,
    @Schema(examples = "true") boolean ok,
    @Schema(description = "a problem code when the check failed", examples = "upstream_rejected")
        String code,
    @Schema(examples = "POST /o/token answered 200") String detail,
    @Schema(examples = "112") long durationMs) {

  static ConnectionCheck passed(String name, String detail, long durationMs) {
    return new ConnectionCheck(name, true, null, detail, durationMs);
  }

  static ConnectionCheck failed(String name, String code, String detail, long durationMs) {
    return new ConnectionCheck(name, false, code, detail, durationMs);
  }
}
