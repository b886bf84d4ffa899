package dev.tokenbroker.ops;

import io.micrometer.core.instrument.config.MeterFilter;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.util.Set;

/**
 * The {@code method} tag of HTTP server metrics takes the standard methods only; anything a client
 * makes up is counted as {@code OTHER}, so that no request can add a series of its own.
 */
public class HttpMethodTags {

  private static final Set<String> STANDARD =
      Set.of("GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS");

  @Produces
  @Singleton
  MeterFilter standardMethodsOnly() {
    return MeterFilter.replaceTagValues(
        "method", method -> STANDARD.contains(method) ? method : "OTHER");
  }
}
