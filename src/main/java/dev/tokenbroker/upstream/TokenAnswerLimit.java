package dev.tokenbroker.upstream;

import io.quarkus.arc.Unremovable;
import io.quarkus.oidc.common.OidcEndpoint;
import io.quarkus.oidc.common.OidcRequestFilter;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Refuses a token or revocation answer as soon as it grows past {@link #MAX_BYTES} (DESIGN §6): no
 * token document is that large, and a longer one is neither kept nor parsed. The OIDC client reads
 * an answer with the body codec of the request this filter is given; the one set here counts while
 * it reads. The caller's wait for the whole answer is bounded by {@code
 * broker.upstream.request-timeout}.
 */
@Unremovable
@ApplicationScoped
@OidcEndpoint({OidcEndpoint.Type.TOKEN, OidcEndpoint.Type.TOKEN_REVOCATION})
public class TokenAnswerLimit implements OidcRequestFilter {

  static final int MAX_BYTES = 1024 * 1024;

  private static final CappedBody CODEC =
      new CappedBody(
          MAX_BYTES, "The token endpoint answered with more than 1 MiB; the answer was discarded");

  @Override
  public void filter(OidcRequestContext context) {
    context.request().getDelegate().as(CODEC);
  }
}
