package dev.tokenbroker.upstream;

import io.quarkus.arc.Unremovable;
import io.quarkus.oidc.common.OidcEndpoint;
import io.quarkus.oidc.common.OidcResponseFilter;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Refuses a token or revocation answer over {@link #MAX_BYTES} (DESIGN §6): no token document is
 * that large, and none is parsed. The whole answer is bounded in time by {@code
 * broker.upstream.request-timeout}.
 */
@Unremovable
@ApplicationScoped
@OidcEndpoint({OidcEndpoint.Type.TOKEN, OidcEndpoint.Type.TOKEN_REVOCATION})
public class TokenAnswerLimit implements OidcResponseFilter {

  static final int MAX_BYTES = 1024 * 1024;

  @Override
  public void filter(OidcResponseContext context) {
    if (context.responseBody() != null && context.responseBody().length() > MAX_BYTES) {
      throw UpstreamException.unavailable(
          "The token endpoint answered with more than 1 MiB; the answer was discarded", false);
    }
  }
}
