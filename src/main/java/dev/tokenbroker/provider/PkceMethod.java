package dev.tokenbroker.provider;

import com.fasterxml.jackson.annotation.JsonValue;

/** Whether authorizations use PKCE (RFC 7636) with the S256 challenge. */
public enum PkceMethod {
  S256("S256"),
  NONE("none");

  private final String json;

  PkceMethod(String json) {
    this.json = json;
  }

  @JsonValue
  @Override
  public String toString() {
    return json;
  }
}
