package dev.tokenbroker.provider;

import com.fasterxml.jackson.annotation.JsonValue;

/** A platform whose endpoints and quirks the broker knows (DESIGN §1). */
public enum Preset {
  BADGR("badgr"),
  PARCHMENT("parchment"),
  BRIGHTSPACE("brightspace"),
  OPEN_BADGE_FACTORY("open-badge-factory"),
  /** A Badge Connect (Open Badges 2.1) host: endpoints and credentials from its manifest. */
  BADGE_CONNECT("badge-connect"),
  /** An Open Badges 3.0 host: endpoints and credentials from its service description document. */
  OPEN_BADGES_3("open-badges-3"),
  /** A CLR 2.0 host, registered like an Open Badges 3.0 host. */
  CLR_2("clr-2"),
  GENERIC("generic");

  private final String json;

  Preset(String json) {
    this.json = json;
  }

  /** Whether the broker registers itself at the host (RFC 7591) instead of being given a client. */
  public boolean registersDynamically() {
    return this == BADGE_CONNECT || this == OPEN_BADGES_3 || this == CLR_2;
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
