package dev.tokenbroker.provider;

import com.fasterxml.jackson.annotation.JsonValue;

/** How the broker authenticates to the token endpoint (RFC 6749 §2.3.1). */
public enum ClientAuthMethod {
  CLIENT_SECRET_POST,
  CLIENT_SECRET_BASIC;

  @JsonValue
  @Override
  public String toString() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
