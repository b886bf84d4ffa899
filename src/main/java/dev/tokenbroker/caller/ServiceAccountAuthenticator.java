package dev.tokenbroker.caller;

import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.LoadingCache;
import dev.tokenbroker.api.ApiException;
import dev.tokenbroker.api.ProblemCodes;
import dev.tokenbroker.jwt.JwksDiscovery;
import dev.tokenbroker.jwt.JwtVerifier;
import dev.tokenbroker.jwt.JwtVerifiers;
import dev.tokenbroker.ops.CacheConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.Response.Status;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.jboss.logging.Logger;

/**
 * Authenticates Kubernetes service-account JWTs (a projected token with the broker's audience) as
 * the caller that lists the token's {@code sub} in its {@code service_accounts}. Which caller a
 * service account is is remembered like API keys: re-read in the background, forgotten on delete.
 */
@ApplicationScoped
public class ServiceAccountAuthenticator {

  private static final Logger LOG = Logger.getLogger(ServiceAccountAuthenticator.class);

  private final CallerConfig.Jwt config;
  private final JwksDiscovery discovery;
  private final JwtVerifiers verifiers;
  private final LoadingCache<String, AuthenticatedCaller> accounts;
  private volatile JwtVerifier verifier;
  private boolean refusalLogged;

  public ServiceAccountAuthenticator(
      CallerConfig config,
      CacheConfig caches,
      CallerStore store,
      JwksDiscovery discovery,
      JwtVerifiers verifiers) {
    this.config = config.jwt();
    this.discovery = discovery;
    this.verifiers = verifiers;
    this.accounts =
        Caffeine.newBuilder()
            .maximumSize(config.authCacheSize())
            .refreshAfterWrite(config.authCacheTtl())
            .expireAfterWrite(caches.maxStaleness())
            .build(subject -> store.findServiceAccount(subject).orElse(null));
  }

  public boolean enabled() {
    return config.issuer().isPresent();
  }

  /** The caller of a verified service-account token, or 401 {@code unauthenticated}. */
  public AuthenticatedCaller authenticate(String token) {
    if (!enabled()) {
      throw invalid("Service-account tokens are not accepted here");
    }
    JsonWebToken jwt = verifier().verify(token).orElseThrow(() -> invalid("Invalid JWT"));
    String subject = jwt.getSubject();
    if (subject == null) {
      throw invalid("The JWT has no sub");
    }
    AuthenticatedCaller caller = accounts.get(subject);
    if (caller == null) {
      LOG.debugf("A valid JWT of service account %s names no caller", subject);
      throw invalid("No caller lists this service account");
    }
    return caller;
  }

  public void forgetCaller(String callerId) {
    accounts.asMap().values().removeIf(c -> c.id().equals(callerId));
  }

  public void refreshAll() {
    accounts.refreshAll(accounts.asMap().keySet());
  }

  private JwtVerifier verifier() {
    JwtVerifier current = verifier;
    if (current == null) {
      synchronized (this) {
        if (verifier == null) {
          try {
            verifier = createVerifier();
          } catch (ApiException refused) {
            // the same settings are refused on every request: one warning says it
            LOG.logf(
                refusalLogged ? Logger.Level.DEBUG : Logger.Level.WARN,
                "Service-account JWTs cannot be verified: %s",
                refused.getMessage());
            refusalLogged = true;
            throw refused;
          }
        }
        current = verifier;
      }
    }
    return current;
  }

  private JwtVerifier createVerifier() {
    String issuer = config.issuer().orElseThrow();
    String jwks;
    try {
      jwks =
          config
              .jwksUrl()
              .orElseGet(
                  () ->
                      discovery.jwksUri(
                          "the discovery document of broker.caller.jwt.issuer",
                          issuer,
                          config.tlsCertificatePath()));
    } catch (IllegalStateException e) {
      LOG.warnf("Service-account JWTs cannot be verified yet: %s", e.getMessage());
      throw ApiException.withRetryAfter(
          Status.SERVICE_UNAVAILABLE,
          ProblemCodes.UPSTREAM_UNAVAILABLE,
          "The service-account issuer's keys are unavailable",
          30);
    }
    return verifiers.create(
        config.jwksUrl().isPresent()
            ? "broker.caller.jwt.jwks-url"
            : "the jwks_uri of broker.caller.jwt.issuer",
        issuer,
        jwks,
        config.audience(),
        config.clockSkew(),
        config.jwksForcedRefresh(),
        config.tlsCertificatePath());
  }

  private static ApiException invalid(String detail) {
    return new ApiException(Status.UNAUTHORIZED, ProblemCodes.UNAUTHENTICATED, detail);
  }
}
