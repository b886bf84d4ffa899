package dev.tokenbroker.crypto;

import dev.tokenbroker.api.ProblemCodes;
import dev.tokenbroker.api.ProblemResponses;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.List;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** The secret store's outage as 503 crypto_unavailable with Retry-After. */
public class CryptoProblemMapper {

  private static final Logger LOG = Logger.getLogger(CryptoProblemMapper.class);
  private static final long CRYPTO_RETRY_AFTER_SECONDS = 5;

  /** Vault unreachable: the request may succeed later; cached tokens are unaffected. */
  @ServerExceptionMapper
  public Response cryptoUnavailable(CryptoUnavailableException e, UriInfo uri) {
    LOG.warnf("503 crypto_unavailable on %s: %s", uri.getPath(), e.getMessage());
    return ProblemResponses.build(
        503,
        ProblemCodes.CRYPTO_UNAVAILABLE,
        "The secret store is unavailable; try again later",
        uri,
        CRYPTO_RETRY_AFTER_SECONDS,
        List.of());
  }
}
