package dev.tokenbroker.audit;

/** The audited actions; {@code outcome} is {@link #SUCCESS} or an error code. */
public final class AuditActions {

  public static final String SUCCESS = "success";
  public static final String SYSTEM = "system";
  public static final String ANONYMOUS = "anonymous";

  public static final String TOKEN_ISSUED = "token.issued";
  public static final String PROXY_CALLED = "proxy.called";
  public static final String AUTHORIZATION_STARTED = "authorization.started";
  public static final String AUTHORIZATION_COMPLETED = "authorization.completed";
  public static final String AUTHORIZATION_CONFIRMED = "authorization.confirmed";
  public static final String AUTHORIZATION_DISCARDED = "authorization.discarded";
  public static final String GRANT_REFRESHED = "grant.refreshed";
  public static final String GRANT_IMPORTED = "grant.imported";
  public static final String GRANT_DELETED = "grant.deleted";
  public static final String PROVIDER_CREATED = "provider.created";
  public static final String PROVIDER_REPLACED = "provider.replaced";
  public static final String PROVIDER_DELETED = "provider.deleted";
  public static final String PROVIDER_REGISTERED = "provider.registered";
  public static final String CALLER_CREATED = "caller.created";
  public static final String CALLER_DELETED = "caller.deleted";
  public static final String API_KEY_CREATED = "api_key.created";
  public static final String API_KEY_DELETED = "api_key.deleted";
  public static final String CRYPTO_REWRAPPED = "crypto.rewrapped";

  private AuditActions() {}
}
