package dev.tokenbroker.api;

/** The stable {@code code} values of the HTTP API contract (DESIGN §4). */
public final class ProblemCodes {
  public static final String INVALID_REQUEST = "invalid_request";
  public static final String UNAUTHENTICATED = "unauthenticated";
  public static final String FORBIDDEN = "forbidden";
  public static final String NOT_FOUND = "not_found";
  public static final String METHOD_NOT_ALLOWED = "method_not_allowed";
  public static final String NOT_ACCEPTABLE = "not_acceptable";
  public static final String UNSUPPORTED_MEDIA_TYPE = "unsupported_media_type";
  public static final String PAYLOAD_TOO_LARGE = "payload_too_large";
  public static final String URI_TOO_LONG = "uri_too_long";
  public static final String HEADERS_TOO_LARGE = "headers_too_large";
  public static final String CALLER_NOT_FOUND = "caller_not_found";
  public static final String CALLER_NAME_TAKEN = "caller_name_taken";
  public static final String API_KEY_NOT_FOUND = "api_key_not_found";
  public static final String PROVIDER_NOT_FOUND = "provider_not_found";
  public static final String PROVIDER_IN_USE = "provider_in_use";
  public static final String GRANT_NOT_FOUND = "grant_not_found";
  public static final String INVALID_STATE = "invalid_state";
  public static final String RETURN_URL_REQUIRED = "return_url_required";
  public static final String INVALID_CONFIRMATION = "invalid_confirmation";
  public static final String CONFIRMATION_MISMATCH = "confirmation_mismatch";
  public static final String REAUTHORIZATION_REQUIRED = "reauthorization_required";
  public static final String NO_REFRESH_TOKEN = "no_refresh_token";
  public static final String SCOPE_NOT_GRANTED = "scope_not_granted";
  public static final String SCOPE_NOT_ALLOWED = "scope_not_allowed";
  public static final String CLIENT_SECRET_REQUIRED = "client_secret_required";
  public static final String URL_NOT_ALLOWED = "url_not_allowed";
  public static final String RATE_LIMITED = "rate_limited";
  public static final String UPSTREAM_REJECTED = "upstream_rejected";
  public static final String UPSTREAM_UNAVAILABLE = "upstream_unavailable";
  public static final String DISCOVERY_FAILED = "discovery_failed";
  public static final String REGISTRATION_REJECTED = "registration_rejected";
  public static final String CRYPTO_UNAVAILABLE = "crypto_unavailable";
  public static final String CONFLICT = "conflict";
  public static final String STORE_UNAVAILABLE = "store_unavailable";
  public static final String INTERNAL_ERROR = "internal_error";

  private ProblemCodes() {}
}
