package dev.tokenbroker.provider;

import com.fasterxml.jackson.annotation.JsonValue;

/** The OAuth2 grant a provider is used with (RFC 6749 §4.1, §4.4). */
public enum GrantType {
  AUTHORIZATION_CODE,
  CLIENT_CREDENTIALS;

  @JsonValue
  @Override
  public String toString() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
