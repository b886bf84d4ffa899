package dev.tokenbroker.caller;

import dev.tokenbroker.api.ApiException;
import dev.tokenbroker.api.RequestIds;
import dev.tokenbroker.api.WorkerThreads;
import io.quarkus.runtime.BlockingOperationControl;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response.Status;
import java.lang.annotation.Annotation;
import java.util.Optional;
import org.jboss.logging.MDC;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Authenticates every {@code /v1} request and denies consumers by default: only endpoints marked
 * {@link ConsumerAccess} admit them. On the event loop (the token endpoint) a caller known in
 * memory is authenticated there; one that needs a database read is authenticated on a worker.
 */
public class CallerAuthenticationFilter {

  private static final String CALLER = AuthenticatedCaller.class.getName();
  private static final Uni<Void> DONE = Uni.createFrom().voidItem();

  private final CallerAuthenticator authenticator;
  private final CurrentCaller current;
  private final RefusalLimiter refusals;

  public CallerAuthenticationFilter(
      CallerAuthenticator authenticator, CurrentCaller current, RefusalLimiter refusals) {
    this.authenticator = authenticator;
    this.current = current;
    this.refusals = refusals;
  }

  /**
   * A caller known in memory is admitted at once; anything that needs a lookup (a database read, a
   * JWT check) first passes the client address's refusal limit.
   */
  @ServerRequestFilter(priority = Priorities.AUTHENTICATION)
  public Uni<Void> authenticate(
      ContainerRequestContext request, ResourceInfo resource, HttpServerRequest http) {
    if (resource.getResourceClass() == null
        || !resource.getResourceClass().getPackageName().startsWith("dev.tokenbroker")
        || marked(resource, PublicEndpoint.class)) {
      return DONE;
    }
    String header = request.getHeaderString(HttpHeaders.AUTHORIZATION);
    Optional<AuthenticatedCaller> known;
    try {
      known = authenticator.authenticateFromMemory(header);
    } catch (ApiException refused) {
      throw counted(RefusalLimiter.clientAddress(http), refused);
    }
    if (known.isPresent()) {
      request.setProperty(CALLER, known.get());
      return DONE;
    }
    String address = RefusalLimiter.clientAddress(http);
    refusals.requireUnderLimit(address);
    if (BlockingOperationControl.isBlockingAllowed()) {
      request.setProperty(CALLER, lookUp(header, address));
      return DONE;
    }
    return WorkerThreads.call(() -> lookUp(header, address))
        .invoke(caller -> request.setProperty(CALLER, caller))
        .replaceWithVoid();
  }

  private AuthenticatedCaller lookUp(String header, String address) {
    try {
      return authenticator.authenticate(header);
    } catch (ApiException refused) {
      throw counted(address, refused);
    }
  }

  /** A 401 counts against the address's refusal limit, and is a 429 once it is over it. */
  private ApiException counted(String address, ApiException refused) {
    if (refused.status() != Status.UNAUTHORIZED.getStatusCode()) {
      return refused;
    }
    return refusals.countRefusal(address).orElse(refused);
  }

  /** Makes the authenticated caller the request's, and checks its role against the endpoint. */
  @ServerRequestFilter(priority = Priorities.AUTHENTICATION + 1)
  public void admit(ContainerRequestContext request, ResourceInfo resource) {
    if (!(request.getProperty(CALLER) instanceof AuthenticatedCaller caller)) {
      return;
    }
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
