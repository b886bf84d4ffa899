package dev.tokenbroker.api;

import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.annotations.QuarkusMain;

/**
 * The broker's entry point: Quarkus, with its HTTP layer's own URI check left to {@link
 * HttpLimits}. Quarkus answers a URI that {@link java.net.URI} cannot parse (a backslash, {@code |}
 * or {@code {}} in a query) with an empty 400 before any route runs, unless the system property
 * {@code vertx.disableURIValidation} is set before its HTTP recorder is loaded, which is here. The
 * first route then refuses the same URIs as problem+json (DESIGN §6: every answer is problem+json).
 * Tests and dev mode set the property in the build (pom.xml), since neither runs this.
 */
@QuarkusMain
public class BrokerMain {

  static final String URI_VALIDATION_OFF = "vertx.disableURIValidation";

  public static void main(String... args) {
    System.setProperty(URI_VALIDATION_OFF, "true");
    Quarkus.run(args);
  }
}
