package dev.tokenbroker.proxy;

import dev.tokenbroker.api.ApiException;
import dev.tokenbroker.api.Syntax;
import dev.tokenbroker.caller.AuthenticatedCaller;
import dev.tokenbroker.caller.CallerRateLimiter;
import dev.tokenbroker.caller.ConsumerAccess;
import dev.tokenbroker.caller.CurrentCaller;
import io.smallrye.common.annotation.NonBlocking;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import io.vertx.mutiny.core.buffer.Buffer;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HEAD;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.jboss.resteasy.reactive.RestMulti;

/**
 * {@code <METHOD> /v1/proxy/{provider_id}/{path}}: a call to the provider's API with the grant's
 * token added on the way out (DESIGN §6 API proxy). The upstream's status, headers (less cookies
 * and hop-by-hop headers) and body come back as they are.
 */
@Path("/v1/proxy/{providerId}/{path: .*}")
@ConsumerAccess
public class ProxyResource {

  static final String SUBJECT_HEADER = "Token-Broker-Subject";
  private static final String PATH =
      "The path after the provider's api_base_url, as sent upstream (the raw form is checked)";
  private static final byte[] NO_BODY = new byte[0];

  private final ProxyService proxy;
  private final CurrentCaller caller;
  private final CallerRateLimiter rateLimiter;

  public ProxyResource(ProxyService proxy, CurrentCaller caller, CallerRateLimiter rateLimiter) {
    this.proxy = proxy;
    this.caller = caller;
    this.rateLimiter = rateLimiter;
  }

  @GET
  @NonBlocking
  public RestMulti<Buffer> get(
      @PathParam("providerId") String providerId,
      @PathParam("path") @Parameter(description = PATH) String path,
      @Context RoutingContext req) {
    return relay(providerId, req, NO_BODY);
  }

  @HEAD
  @NonBlocking
  public RestMulti<Buffer> head(
      @PathParam("providerId") String providerId,
      @PathParam("path") @Parameter(description = PATH) String path,
      @Context RoutingContext req) {
    return relay(providerId, req, NO_BODY);
  }

  @DELETE
  @NonBlocking
  public RestMulti<Buffer> delete(
      @PathParam("providerId") String providerId,
      @PathParam("path") @Parameter(description = PATH) String path,
      @Context RoutingContext req) {
    return relay(providerId, req, NO_BODY);
  }

  @POST
  @NonBlocking
  @Consumes(MediaType.WILDCARD)
  public RestMulti<Buffer> post(
      @PathParam("providerId") String providerId,
      @PathParam("path") @Parameter(description = PATH) String path,
      @Context RoutingContext req,
      byte[] body) {
    return relay(providerId, req, body);
  }

  @PUT
  @NonBlocking
  @Consumes(MediaType.WILDCARD)
  public RestMulti<Buffer> put(
      @PathParam("providerId") String providerId,
      @PathParam("path") @Parameter(description = PATH) String path,
      @Context RoutingContext req,
      byte[] body) {
    return relay(providerId, req, body);
  }

  @PATCH
  @NonBlocking
  @Consumes(MediaType.WILDCARD)
  public RestMulti<Buffer> patch(
      @PathParam("providerId") String providerId,
      @PathParam("path") @Parameter(description = PATH) String path,
      @Context RoutingContext req,
      byte[] body) {
    return relay(providerId, req, body);
  }

  private RestMulti<Buffer> relay(String providerId, RoutingContext context, byte[] body) {
    HttpServerRequest request = context.request();
    Syntax.require("provider_id", providerId, Syntax.PROVIDER_ID);
    String prefix = "/v1/proxy/" + providerId;
    String rawPath = request.path();
    String path = context.get(ProxyGate.PATH);
    if (path == null || !rawPath.startsWith(prefix + "/")) {
      throw ApiException.invalidRequest("path", "must not leave /v1/proxy/" + providerId);
    }
    String subject = request.getHeader(SUBJECT_HEADER);
    if (subject != null) {
      Syntax.require(SUBJECT_HEADER, subject, Syntax.SUBJECT);
    }
    AuthenticatedCaller who = caller.get();
    rateLimiter.admitTokenRequest(who);
    Uni<UpstreamApi.Answer> answer =
        proxy.call(
            who,
            new ProxyService.Call(
                providerId,
                subject,
                request.method().name(),
                path,
                request.query(),
                request.headers(),
                body == null ? NO_BODY : body));
    return RestMulti.fromUniResponse(
        answer,
        UpstreamApi.Answer::body,
        relayed -> {
          context.put(ProxyGate.RELAYED, Boolean.TRUE);
          return ProxyHeaders.forAnswer(relayed.headers());
        },
        UpstreamApi.Answer::status);
  }
}
