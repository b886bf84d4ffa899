package dev.tokenbroker.caller;

import dev.tokenbroker.api.ApiException;
import dev.tokenbroker.api.RequestIds;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.HttpHeaders;
import java.lang.annotation.Annotation;
import org.jboss.logging.MDC;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Authenticates every {@code /v1} request and denies consumers by default: only endpoints marked
 * {@link ConsumerAccess} admit them.
 */
public class CallerAuthenticationFilter {

  private final CallerAuthenticator authenticator;
  private final CurrentCaller current;

  public CallerAuthenticationFilter(CallerAuthenticator authenticator, CurrentCaller current) {
    this.authenticator = authenticator;
    this.current = current;
  }

  @ServerRequestFilter(priority = Priorities.AUTHENTICATION)
  public void authenticate(ContainerRequestContext request, ResourceInfo resource) {
    if (resource.getResourceClass() == null
        || !resource.getResourceClass().getPackageName().startsWith("dev.tokenbroker")
        || marked(resource, PublicEndpoint.class)) {
      return;
    }
    AuthenticatedCaller caller =
        authenticator.authenticate(request.getHeaderString(HttpHeaders.AUTHORIZATION));
    current.set(caller);
    MDC.put(RequestIds.CALLER_MDC_KEY, caller.id());
    if (!caller.isAdmin() && !marked(resource, ConsumerAccess.class)) {
      throw ApiException.forbidden("This endpoint needs the admin role");
    }
  }

  private static boolean marked(ResourceInfo resource, Class<? extends Annotation> marker) {
    return resource.getResourceMethod().isAnnotationPresent(marker)
        || resource.getResourceClass().isAnnotationPresent(marker);
  }
}
