package dev.tokenbroker.api;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;
import org.jboss.logging.MDC;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;

/** Gives every request an id (taken from {@code X-Request-Id} when sane) for logs and replies. */
public class RequestIds {

  public static final String HEADER = "X-Request-Id";
  public static final String MDC_KEY = "request_id";

  /** The authenticated caller's id in the logging context, for log lines and audit events. */
  public static final String CALLER_MDC_KEY = "caller_id";

  private static final Pattern SANE = Pattern.compile("[A-Za-z0-9._-]{8,64}");

  @ServerRequestFilter(preMatching = true)
  public void assign(ContainerRequestContext request) {
    String incoming = request.getHeaderString(HEADER);
    // unique, not secret: no SecureRandom (and its lock) per request
    ThreadLocalRandom random = ThreadLocalRandom.current();
    String id =
        incoming != null && SANE.matcher(incoming).matches()
            ? incoming
            : new UUID(random.nextLong(), random.nextLong()).toString();
    request.setProperty(MDC_KEY, id);
    MDC.put(MDC_KEY, id);
  }

  @ServerResponseFilter
  public void echo(ContainerRequestContext request, ContainerResponseContext response) {
    Object id = request.getProperty(MDC_KEY);
    if (id != null) {
      response.getHeaders().putSingle(HEADER, id);
    }
  }
}
