package dev.tokenbroker.registration;

import static dev.tokenbroker.api.ApiException.invalidRequest;

import dev.tokenbroker.provider.Preset;
import java.util.List;
import java.util.Map;

/**
 * The scopes the broker registers for: those asked for, which must be among what the host offers,
 * or else the specification's own scopes that the host offers.
 */
final class HostScopes {

  private static final String OB2 = "https://purl.imsglobal.org/spec/ob/v2p1/scope/";
  private static final String OB3 = "https://purl.imsglobal.org/spec/ob/v3p0/scope/";
  private static final String CLR2 = "https://purl.imsglobal.org/spec/clr/v2p0/scope/";

  /**
   * The scopes each specification defines, in its order; offline_access asks for a refresh token.
   */
  static final Map<Preset, List<String>> SPECIFIED =
      Map.of(
          Preset.BADGE_CONNECT,
          List.of(
              OB2 + "assertion.readonly",
              OB2 + "assertion.create",
              OB2 + "profile.readonly",
              OB2 + "profile.update"),
          Preset.OPEN_BADGES_3,
          List.of(
              OB3 + "credential.readonly",
              OB3 + "credential.upsert",
              OB3 + "profile.readonly",
              OB3 + "profile.update",
              "offline_access"),
          Preset.CLR_2,
          List.of(
              CLR2 + "credential.readonly",
              CLR2 + "credential.upsert",
              CLR2 + "profile.readonly",
              CLR2 + "profile.update",
              "offline_access"));

  private HostScopes() {}

  static List<String> requested(Preset preset, List<String> requested, HostDocument host) {
    List<String> offered = host.scopesOffered();
    if (requested == null) {
      List<String> specified = SPECIFIED.get(preset).stream().filter(offered::contains).toList();
      return specified.isEmpty() ? offered : specified;
    }
    if (requested.isEmpty()) {
      throw invalidRequest("scopes", "must name at least one scope the host offers");
    }
    List<String> notOffered = requested.stream().filter(s -> !offered.contains(s)).toList();
    if (!notOffered.isEmpty()) {
      throw invalidRequest("scopes", "not offered by the host: " + notOffered);
    }
    return List.copyOf(new java.util.LinkedHashSet<>(requested));
  }
}
