package dev.tokenbroker.provider;

import com.fasterxml.jackson.annotation.JsonValue;

/**
 * How the broker gets a token narrower than the grant's for a caller whose allow rules cover less
 * (DESIGN §6): {@code refresh}, a refresh_token request with a {@code scope} subset (RFC 6749 §6),
 * where the provider honours it; {@code none}, where its documents say nothing, and then such a
 * caller is refused.
 */
public enum Downscope {
  NONE("none"),
  REFRESH("refresh");

  private final String json;

  Downscope(String json) {
    this.json = json;
  }

  @JsonValue
  @Override
  public String toString() {
    return json;
  }
}
