package dev.tokenbroker.token;

import dev.tokenbroker.api.RequestBodies;
import dev.tokenbroker.api.WorkerThreads;
import dev.tokenbroker.caller.AuthenticatedCaller;
import dev.tokenbroker.caller.CallerRateLimiter;
import dev.tokenbroker.caller.ConsumerAccess;
import dev.tokenbroker.caller.CurrentCaller;
import io.smallrye.common.annotation.NonBlocking;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.jboss.resteasy.reactive.ResponseHeader;

/**
 * {@code POST /v1/tokens} (DESIGN §4 Tokens). Runs on the event loop: a token served from memory is
 * answered there, anything that needs the database or the upstream moves to a worker.
 */
@Path("/v1/tokens")
@ConsumerAccess
public class TokenResource {

  private final TokenService tokens;
  private final CurrentCaller caller;
  private final CallerRateLimiter rateLimiter;
  private final RequestBodies bodies;

  public TokenResource(
      TokenService tokens,
      CurrentCaller caller,
      CallerRateLimiter rateLimiter,
      RequestBodies bodies) {
    this.tokens = tokens;
    this.caller = caller;
    this.rateLimiter = rateLimiter;
    this.bodies = bodies;
  }

  @POST
  @Consumes(MediaType.APPLICATION_JSON)
  @Produces(MediaType.APPLICATION_JSON)
  @ResponseHeader(name = "Cache-Control", value = "no-store")
  @ResponseHeader(name = "Pragma", value = "no-cache")
  @NonBlocking
  public Uni<TokenResponse> issue(@RequestBody(required = true) TokenRequest request) {
    TokenRequest body = bodies.valid(request);
    AuthenticatedCaller who = caller.get();
    rateLimiter.admitTokenRequest(who);
    return tokens
        .issueFromMemory(who, body)
        .map(served -> Uni.createFrom().item(served))
        .orElseGet(() -> WorkerThreads.call(() -> tokens.issue(who, body)));
  }
}
