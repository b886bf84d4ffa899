package dev.tokenbroker.oauth;

import jakarta.ws.rs.core.MultivaluedMap;
import java.util.List;
import java.util.Map;

/**
 * The form of a token request, checked as RFC 6749 §3.2 asks: no parameter twice, an empty value
 * counts as absent. Values are bounded in length and free of control characters.
 */
public final class TokenEndpointForm {

  private static final int MAX_VALUE = 8192;

  private final Map<String, String> values;

  private TokenEndpointForm(Map<String, String> values) {
    this.values = values;
  }

  public static TokenEndpointForm of(MultivaluedMap<String, String> form) {
    Map<String, String> values = new java.util.HashMap<>();
    if (form != null) {
      for (Map.Entry<String, List<String>> parameter : form.entrySet()) {
        List<String> given = parameter.getValue();
        if (given.size() > 1) {
          throw OAuthError.invalidRequest(parameter.getKey() + " is given more than once");
        }
        String value = given.isEmpty() ? "" : given.get(0);
        if (value.length() > MAX_VALUE) {
          throw OAuthError.invalidRequest(parameter.getKey() + " is longer than " + MAX_VALUE);
        }
        if (value.chars().anyMatch(Character::isISOControl)) {
          throw OAuthError.invalidRequest(parameter.getKey() + " contains control characters");
        }
        if (!value.isEmpty()) {
          values.put(parameter.getKey(), value);
        }
      }
    }
    return new TokenEndpointForm(values);
  }

  public boolean has(String name) {
    return values.containsKey(name);
  }

  public String optional(String name) {
    return values.get(name);
  }

  public String required(String name) {
    String value = values.get(name);
    if (value == null) {
      throw OAuthError.invalidRequest(name + " is required");
    }
    return value;
  }
}
