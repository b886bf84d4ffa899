package dev.tokenbroker.oauth;

import dev.tokenbroker.api.ApiException;
import dev.tokenbroker.api.AuthorizationHeader;
import dev.tokenbroker.caller.AuthenticatedCaller;
import dev.tokenbroker.caller.CallerAuthenticator;
import dev.tokenbroker.caller.RefusalLimiter;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * Authenticates the client of {@code POST /v1/oauth/token} (RFC 6749 §2.3): {@code client_id} is
 * the caller id and {@code client_secret} one of its API keys, sent with HTTP Basic or in the form;
 * or an RFC 7523 client assertion that {@link CallerAuthenticator} accepts as a service-account
 * JWT. Exactly one method per request.
 */
@ApplicationScoped
public class OAuthClientAuthenticator {

  static final String JWT_BEARER_ASSERTION =
      "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

  private final CallerAuthenticator callers;
  private final RefusalLimiter refusals;

  public OAuthClientAuthenticator(CallerAuthenticator callers, RefusalLimiter refusals) {
    this.callers = callers;
    this.refusals = refusals;
  }

  /**
   * The client of the request from {@code address}. Refused credentials count against the address's
   * refusal limit, and an address over it gets 429 before a key is read from the database.
   */
  public AuthenticatedCaller authenticate(
      String authorization, TokenEndpointForm form, String address) {
    try {
      return authenticate(authorization, form, () -> refusals.requireUnderLimit(address));
    } catch (OAuthError e) {
      if (OAuthError.INVALID_CLIENT.equals(e.error())) {
        refusals
            .countRefusal(address)
            .ifPresent(
                limited -> {
                  throw limited;
                });
      }
      throw e;
    }
  }

  private AuthenticatedCaller authenticate(
      String authorization, TokenEndpointForm form, Runnable beforeRead) {
    boolean basic = authorization != null && !authorization.isBlank();
    boolean post = form.has("client_secret");
    boolean assertion = form.has("client_assertion") || form.has("client_assertion_type");
    if ((basic ? 1 : 0) + (post ? 1 : 0) + (assertion ? 1 : 0) > 1) {
      throw OAuthError.invalidRequest("Use exactly one client authentication method");
    }
    if (basic) {
      return basic(authorization, form, beforeRead);
    }
    if (post) {
      return byApiKey(
          form.required("client_id"), form.required("client_secret"), false, beforeRead);
    }
    if (assertion) {
      return byAssertion(form);
    }
    throw OAuthError.invalidClient("Client authentication is required", true);
  }

  private AuthenticatedCaller basic(
      String authorization, TokenEndpointForm form, Runnable beforeRead) {
    String credentials =
        AuthorizationHeader.credentials(authorization, "Basic")
            .orElseThrow(
                () -> OAuthError.invalidClient("Use HTTP Basic client authentication", true));
    String decoded;
    try {
      decoded = new String(Base64.getDecoder().decode(credentials), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw OAuthError.invalidClient("The Basic credentials are not valid base64", true);
    }
    int colon = decoded.indexOf(':');
    if (colon < 0) {
      throw OAuthError.invalidClient("The Basic credentials need client_id:client_secret", true);
    }
    String clientId = decoded.substring(0, colon);
    String secret = decoded.substring(colon + 1);
    String formClientId = form.optional("client_id");
    if (formClientId != null
        && !formClientId.equals(clientId)
        && !formClientId.equals(formDecoded(clientId))) {
      throw OAuthError.invalidRequest("client_id differs from the Basic credentials");
    }
    try {
      return byApiKey(clientId, secret, true, beforeRead);
    } catch (OAuthError asSent) {
      // RFC 6749 §2.3.1 form-encodes both before base64; many clients do not, so try both
      String decodedId = formDecoded(clientId);
      String decodedSecret = formDecoded(secret);
      if (decodedId.equals(clientId) && decodedSecret.equals(secret)) {
        throw asSent;
      }
      return byApiKey(decodedId, decodedSecret, true, beforeRead);
    }
  }

  /** RFC 6749 §2.3.1: Basic credentials are form-encoded before base64. */
  private static String formDecoded(String value) {
    try {
      return URLDecoder.decode(value, StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw OAuthError.invalidClient("The Basic credentials are not form-encoded", true);
    }
  }

  private AuthenticatedCaller byApiKey(
      String clientId, String secret, boolean basic, Runnable beforeRead) {
    AuthenticatedCaller caller;
    try {
      caller = callers.authenticateApiKey(secret, beforeRead);
    } catch (ApiException e) {
      if (e.status() == 429) {
        throw e;
      }
      throw OAuthError.invalidClient("Unknown client or wrong client_secret", basic);
    }
    if (!caller.id().equals(clientId)) {
      throw OAuthError.invalidClient("Unknown client or wrong client_secret", basic);
    }
    return caller;
  }

  private AuthenticatedCaller byAssertion(TokenEndpointForm form) {
    if (!JWT_BEARER_ASSERTION.equals(form.required("client_assertion_type"))) {
      throw OAuthError.invalidRequest("client_assertion_type must be " + JWT_BEARER_ASSERTION);
    }
    AuthenticatedCaller caller;
    try {
      caller = callers.authenticateServiceAccount(form.required("client_assertion"));
    } catch (ApiException e) {
      throw OAuthError.invalidClient(e.getMessage(), false);
    }
    String clientId = form.optional("client_id");
    if (clientId != null && !clientId.equals(caller.id())) {
      throw OAuthError.invalidClient("client_id is not the caller of this assertion", false);
    }
    return caller;
  }
}
