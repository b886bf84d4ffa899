package dev.tokenbroker.provider;

import com.fasterxml.jackson.annotation.JsonValue;

/** A platform whose endpoints and quirks the broker knows (DESIGN §1). */
public enum Preset {
  BADGR("badgr"),
  PARCHMENT("parchment"),
  BRIGHTSPACE("brightspace"),
  OPEN_BADGE_FACTORY("open-badge-factory"),
  GENERIC("generic");

  private final String json;

  Preset(String json) {
    this.json = json;
  }

  @JsonValue
  @Override
  public String toString() {
    return json;
  }

  public static Preset fromJson(String value) {
    for (Preset preset : values()) {
      if (preset.json.equals(value)) {
        return preset;
      }
    }
    throw new IllegalArgumentException("Unknown preset " + value);
  }
}
