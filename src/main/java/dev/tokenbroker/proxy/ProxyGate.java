package dev.tokenbroker.proxy;

import dev.tokenbroker.api.ApiException;
import dev.tokenbroker.api.HttpLimits;
import dev.tokenbroker.api.ProblemCodes;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * The first route of every {@code /v1/proxy/} request, ahead of the router's path normalisation: a
 * path that would leave the provider's {@code api_base_url} is 400 before anything else reads it,
 * the normalised one is handed on under {@link #PATH}, and every answer the broker itself gives
 * there (not an upstream's) carries {@code Token-Broker-Error: true}.
 */
@ApplicationScoped
public class ProxyGate {

  static final String PREFIX = "/v1/proxy/";
  static final String ERROR_HEADER = "Token-Broker-Error";
  static final String RELAYED = "tokenbroker.proxy.relayed";

  /** The normalised path after the provider id, for the resource. */
  static final String PATH = "tokenbroker.proxy.path";

  private final HttpLimits limits;

  public ProxyGate(HttpLimits limits) {
    this.limits = limits;
  }

  void install(@Observes @Priority(1) Router router) {
    router.route().order(Integer.MIN_VALUE).handler(this::guard);
  }

  private void guard(RoutingContext ctx) {
    String path = ctx.request().path();
    if (path == null || !path.startsWith(PREFIX)) {
      ctx.next();
      return;
    }
    ctx.addHeadersEndHandler(
        ignored -> {
          if (ctx.get(RELAYED) == null) {
            ctx.response().headers().set(ERROR_HEADER, "true");
          }
        });
    int afterProvider = path.indexOf('/', PREFIX.length());
    if (afterProvider > 0) {
      try {
        ctx.put(PATH, ProxyPath.normalise(path.substring(afterProvider)));
      } catch (ApiException refused) {
        limits.refuse(
            ctx,
            400,
            "Bad Request",
            ProblemCodes.INVALID_REQUEST,
            "The proxied " + refused.getMessage());
        return;
      }
    }
    ctx.next();
  }
}
