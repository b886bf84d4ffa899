package dev.tokenbroker.caller;

import com.fasterxml.jackson.annotation.JsonValue;

/** What a caller may do: everything, or tokens and authorizations within its allow rules. */
public enum Role {
  ADMIN,
  CONSUMER;

  @JsonValue
  @Override
  public String toString() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
