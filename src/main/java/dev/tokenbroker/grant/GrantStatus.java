package dev.tokenbroker.grant;

import com.fasterxml.jackson.annotation.JsonValue;

/** Whether a grant can still yield tokens (DESIGN §4 grant view). */
public enum GrantStatus {
  ACTIVE,
  REAUTHORIZATION_REQUIRED,
  REVOKED;

  @JsonValue
  @Override
  public String toString() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }

  public static GrantStatus fromJson(String value) {
    for (GrantStatus status : values()) {
      if (status.toString().equals(value)) {
        return status;
      }
    }
    throw new IllegalArgumentException(value);
  }
}
