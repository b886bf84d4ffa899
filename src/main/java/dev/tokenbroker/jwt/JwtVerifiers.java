package dev.tokenbroker.jwt;

import dev.tokenbroker.outbound.EgressGate;
import dev.tokenbroker.outbound.OutboundHttp;
import dev.tokenbroker.outbound.OutboundPolicy;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.Optional;

/**
 * Builds {@link JwtVerifier}s whose key reads go only where the outbound policy allows (ADR 8): a
 * JWKS URL the policy refuses gets no verifier, and the JWKS is read with the broker's JSON client
 * ({@link OutboundHttp}: through the egress gate, which checks the address of each https
 * connection, within one deadline and a size cap, no redirect followed).
 */
@ApplicationScoped
public class JwtVerifiers {

  private final OutboundPolicy policy;
  private final OutboundHttp http;

  JwtVerifiers(OutboundPolicy policy, OutboundHttp http) {
    this.policy = policy;
    this.http = http;
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
    return new JwtVerifier(
        issuer, jwksUrl, audience, clockSkew, forcedRefresh, tlsCertificatePath, http);
  }
}
