package dev.tokenbroker.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.runtime.configuration.MemorySize;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Refuses a request whose declared body exceeds {@code quarkus.http.limits.max-body-size} with 413
 * {@code payload_too_large} as problem+json, before the HTTP layer's own check would answer with an
 * empty 413. A body that grows past the limit without declaring its length is refused by the HTTP
 * layer while it is read, and {@link ProblemMapper} writes the same problem.
 */
@ApplicationScoped
public class BodySizeLimit {

  private final long limit;
  private final ObjectMapper json;

  public BodySizeLimit(
      @ConfigProperty(name = "quarkus.http.limits.max-body-size", defaultValue = "64K")
          MemorySize limit,
      ObjectMapper json) {
    this.limit = limit.asLongValue();
    this.json = json;
  }

  void install(@Observes Router router) {
    router
        .route()
        .order(Integer.MIN_VALUE)
        .handler(
            ctx -> {
              String declared = ctx.request().getHeader(HttpHeaders.CONTENT_LENGTH);
              if (declared != null && tooLarge(declared)) {
                ctx.response()
                    .setStatusCode(413)
                    .putHeader(HttpHeaders.CONTENT_TYPE, Problem.MEDIA_TYPE)
                    .putHeader(HttpHeaders.CONNECTION, "close")
                    .end(problem(ctx.request().path()));
              } else {
                ctx.next();
              }
            });
  }

  private String problem(String path) {
    try {
      return json.writeValueAsString(ProblemMapper.payloadTooLarge(path, limit));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private boolean tooLarge(String declared) {
    try {
      return Long.parseLong(declared.trim()) > limit;
    } catch (NumberFormatException notANumber) {
      return false;
    }
  }
}
