package dev.tokenbroker.upstream;

import io.quarkus.arc.Unremovable;
import io.quarkus.oidc.common.OidcEndpoint;
import io.quarkus.oidc.common.OidcRequestFilter;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Stops reading a token or revocation answer at {@link #MAX_BYTES} (DESIGN §6): no token document
 * is that large, and a longer one is neither kept nor parsed. The OIDC client reads an answer with
 * the body codec of the request this filter is given; the one set here counts while it reads, and
 * fails the call when the answer grows past the limit. The provider's client is then replaced and
 * closed, which closes the connection that carried the rest. The caller's wait for the whole answer
 * is bounded by {@code broker.upstream.request-timeout}.
 */
@Unremovable
@ApplicationScoped
@OidcEndpoint({OidcEndpoint.Type.TOKEN, OidcEndpoint.Type.TOKEN_REVOCATION})
public class TokenAnswerLimit implements OidcRequestFilter {

  static final int MAX_BYTES = 1024 * 1024;

  /** The property in which Quarkus OIDC Client passes its configuration's id to filters. */
  private static final String CLIENT_ID = "client-id";

  private static final String TOO_LARGE =
      "The token endpoint answered with more than 1 MiB; the answer was discarded";

  private final OidcClientCache clients;

  public TokenAnswerLimit(OidcClientCache clients) {
    this.clients = clients;
  }

  @Override
  public void filter(OidcRequestContext context) {
    String clientId = context.contextProperties().getString(CLIENT_ID);
    context
        .request()
        .getDelegate()
        .as(new CappedBody(MAX_BYTES, TOO_LARGE, () -> clients.discard(clientId)));
  }
}
