package dev.tokenbroker.jwt;

import dev.tokenbroker.outbound.EgressGate;
import dev.tokenbroker.outbound.OutboundPolicy;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.HttpURLConnection;
import java.time.Duration;
import java.util.Optional;

/**
 * Builds {@link JwtVerifier}s whose key reads go only where the outbound policy allows (ADR 8): a
 * JWKS URL the policy refuses gets no verifier, an https one is read through the egress gate, which
 * checks the address of each connection, and a redirect is not followed.
 */
@ApplicationScoped
public class JwtVerifiers {

  private final OutboundPolicy policy;
  private final EgressGate gate;

  JwtVerifiers(OutboundPolicy policy, EgressGate gate) {
    this.policy = policy;
    this.gate = gate;
    // jose4j reads a JWKS with HttpURLConnection, whose redirects only this JVM-wide default turns
    // off; nothing else in the broker uses HttpURLConnection
    HttpURLConnection.setFollowRedirects(false);
  }

  /**
   * @param what the setting that gave the JWKS URL, as a refusal names it
   * @throws dev.tokenbroker.api.ApiException 502 {@code url_not_allowed} when the policy refuses
   *     the JWKS URL
   */
  public JwtVerifier create(
      String what,
      String issuer,
      String jwksUrl,
      String audience,
      Duration clockSkew,
      Duration forcedRefresh,
      Optional<String> tlsCertificatePath) {
    if (policy.urlProblem(jwksUrl).isPresent()) {
      throw EgressGate.notAllowed(what);
    }
    boolean https = jwksUrl.regionMatches(true, 0, "https:", 0, 6);
    return new JwtVerifier(
        issuer,
        jwksUrl,
        audience,
        clockSkew,
        forcedRefresh,
        tlsCertificatePath,
        https ? gate.port() : 0);
  }
}
