package dev.tokenbroker.token;

import dev.tokenbroker.caller.CallerRateLimiter;
import dev.tokenbroker.caller.ConsumerAccess;
import dev.tokenbroker.caller.CurrentCaller;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.jboss.resteasy.reactive.ResponseHeader;

/** {@code POST /v1/tokens} (DESIGN §4 Tokens). */
@Path("/v1/tokens")
@ConsumerAccess
public class TokenResource {

  private final TokenService tokens;
  private final CurrentCaller caller;
  private final CallerRateLimiter rateLimiter;

  public TokenResource(TokenService tokens, CurrentCaller caller, CallerRateLimiter rateLimiter) {
    this.tokens = tokens;
    this.caller = caller;
    this.rateLimiter = rateLimiter;
  }

  @POST
  @Consumes(MediaType.APPLICATION_JSON)
  @Produces(MediaType.APPLICATION_JSON)
  @ResponseHeader(name = "Cache-Control", value = "no-store")
  @ResponseHeader(name = "Pragma", value = "no-cache")
  public TokenResponse issue(@NotNull @Valid TokenRequest body) {
    rateLimiter.admitTokenRequest(caller.get());
    return tokens.issue(caller.get(), body);
  }
}
