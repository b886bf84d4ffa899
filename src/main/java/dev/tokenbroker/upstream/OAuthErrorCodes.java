package dev.tokenbroker.upstream;

/** Error codes of the token endpoint, RFC 6749 §5.2. */
public final class OAuthErrorCodes {

  /** "The provided authorization grant ... or refresh token is invalid, expired, revoked". */
  public static final String INVALID_GRANT = "invalid_grant";

  /** "Client authentication failed (e.g., unknown client, no client authentication included". */
  public static final String INVALID_CLIENT = "invalid_client";

  /** "The authenticated client is not authorized to use this authorization grant type." */
  public static final String UNAUTHORIZED_CLIENT = "unauthorized_client";

  /** "The requested scope is invalid, unknown, malformed, or exceeds the scope granted". */
  public static final String INVALID_SCOPE = "invalid_scope";

  /** RFC 6749 §4.1.2.1: "The resource owner or authorization server denied the request." */
  public static final String ACCESS_DENIED = "access_denied";

  private OAuthErrorCodes() {}
}
