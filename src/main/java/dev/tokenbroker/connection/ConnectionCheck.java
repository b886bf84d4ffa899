package dev.tokenbroker.connection;

/**
 * One step of a provider connection test. {@code code} is the problem code a token request would
 * have got (null when the step passed); {@code detail} never contains a credential.
 */
public record ConnectionCheck(
    String name, boolean ok, String code, String detail, long durationMs) {

  static ConnectionCheck passed(String name, String detail, long durationMs) {
    return new ConnectionCheck(name, true, null, detail, durationMs);
  }

  static ConnectionCheck failed(String name, String code, String detail, long durationMs) {
    return new ConnectionCheck(name, false, code, detail, durationMs);
  }
}
