package dev.tokenbroker.oauth;

import dev.tokenbroker.api.ApiException;
import dev.tokenbroker.api.ProblemCodes;
import dev.tokenbroker.api.StoreFailures;
import dev.tokenbroker.crypto.CryptoUnavailableException;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

/** The RFC 6749 / RFC 8693 error for each problem the token service reports. */
@ApplicationScoped
public class OAuthErrors {

  private static final Logger LOG = Logger.getLogger(OAuthErrors.class);
  private static final long RETRY_AFTER_SECONDS = 5;

  public RuntimeException translate(RuntimeException failure) {
    if (failure instanceof OAuthError e) {
      return e;
    }
    if (failure instanceof ApiException e) {
      return fromProblem(e);
    }
    if (failure instanceof CryptoUnavailableException) {
      return OAuthError.unavailable(
          503, "The secret store is unavailable; try again later", RETRY_AFTER_SECONDS);
    }
    if (StoreFailures.classify(failure).isPresent()) {
      LOG.warnf(
          "503 temporarily_unavailable on the token endpoint: the database failed (%s)",
          failure.getClass().getSimpleName());
      return OAuthError.unavailable(
          503, "The broker's database is unavailable; try again later", RETRY_AFTER_SECONDS);
    }
    return failure;
  }

  private static OAuthError fromProblem(ApiException e) {
    long retryAfter = e.retryAfterSeconds().orElse(RETRY_AFTER_SECONDS);
    return switch (e.code()) {
      case ProblemCodes.FORBIDDEN ->
          OAuthError.badRequest(OAuthError.INVALID_TARGET, e.getMessage());
      case ProblemCodes.GRANT_NOT_FOUND ->
          OAuthError.badRequest(OAuthError.INVALID_GRANT, e.getMessage());
      case ProblemCodes.REAUTHORIZATION_REQUIRED, ProblemCodes.NO_REFRESH_TOKEN ->
          OAuthError.badRequest(OAuthError.INVALID_GRANT, e.code() + ": " + e.getMessage());
      case ProblemCodes.SCOPE_NOT_GRANTED, ProblemCodes.SCOPE_NOT_ALLOWED ->
          OAuthError.badRequest(OAuthError.INVALID_SCOPE, e.getMessage());
      case ProblemCodes.RATE_LIMITED -> OAuthError.unavailable(429, e.getMessage(), retryAfter);
      default ->
          e.status() >= 500
              ? OAuthError.unavailable(503, e.code() + ": " + e.getMessage(), retryAfter)
              : OAuthError.invalidRequest(e.getMessage());
    };
  }
}
