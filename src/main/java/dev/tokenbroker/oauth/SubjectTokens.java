package dev.tokenbroker.oauth;

import dev.tokenbroker.api.ApiException;
import dev.tokenbroker.api.Syntax;
import dev.tokenbroker.jwt.JwtVerifier;
import dev.tokenbroker.jwt.JwtVerifiers;
import dev.tokenbroker.outbound.EgressGate;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Optional;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.jboss.logging.Logger;

/**
 * The subject an RFC 8693 {@code subject_token} names: the subject id itself, or the verified
 * subject claim of an end user's JWT from a trusted issuer, so that a service acts only for the
 * user whose token it holds.
 */
@ApplicationScoped
public class SubjectTokens {

  static final String SUBJECT_TYPE = "urn:token-broker:token-type:subject";
  static final String JWT_TYPE = "urn:ietf:params:oauth:token-type:jwt";
  static final String ACCESS_TOKEN_TYPE = "urn:ietf:params:oauth:token-type:access_token";

  private static final Logger LOG = Logger.getLogger(SubjectTokens.class);

  private final List<TrustedIssuer> issuers;

  public SubjectTokens(ExchangeConfig config, JwtVerifiers verifiers) {
    this.issuers =
        config.issuers().entrySet().stream()
            .map(e -> trusted(e.getKey(), e.getValue(), verifiers))
            .toList();
    long defaults =
        config.issuers().values().stream().filter(ExchangeConfig.Issuer::defaultNamespace).count();
    if (defaults > 1) {
      throw new IllegalStateException(
          "broker.exchange.issuers: at most one issuer may set default-namespace=true");
    }
  }

  /** The subject, or {@code invalid_request} (RFC 8693 §2.2.2) when the token is not acceptable. */
  public String subject(String token, String tokenType) {
    switch (tokenType) {
      case SUBJECT_TYPE -> {
        if (!token.matches(Syntax.SUBJECT)) {
          throw OAuthError.invalidRequest("subject_token: " + Syntax.SUBJECT_RULE);
        }
        return token;
      }
      case JWT_TYPE, ACCESS_TOKEN_TYPE -> {
        return fromJwt(token);
      }
      default ->
          throw OAuthError.invalidRequest(
              "subject_token_type must be "
                  + SUBJECT_TYPE
                  + ", "
                  + JWT_TYPE
                  + " or "
                  + ACCESS_TOKEN_TYPE);
    }
  }

  private String fromJwt(String token) {
    if (issuers.isEmpty()) {
      throw OAuthError.invalidRequest("No trusted issuer of subject tokens is configured");
    }
    if (!JwtVerifier.looksLikeJwt(token)) {
      throw OAuthError.invalidRequest("subject_token is not a JWT");
    }
    String refused = null;
    for (TrustedIssuer issuer : issuers) {
      if (issuer.verifier() == null) {
        refused = issuer.refusedSetting();
        continue;
      }
      Optional<JsonWebToken> verified = issuer.verifier().verify(token);
      if (verified.isPresent()) {
        Object claim = verified.get().getClaim(issuer.subjectClaim());
        String subject =
            claim instanceof jakarta.json.JsonString text
                ? text.getString()
                : claim == null ? null : claim.toString();
        String namespaced = subject == null ? null : issuer.namespace() + subject;
        if (namespaced == null || !namespaced.matches(Syntax.SUBJECT)) {
          throw OAuthError.invalidRequest(
              "subject_token has no usable " + issuer.subjectClaim() + " claim");
        }
        return namespaced;
      }
    }
    if (refused != null) {
      // the token may be one of the issuer whose keys may not be read
      throw EgressGate.notAllowed(refused);
    }
    LOG.debugf("A subject token did not verify against any of %d trusted issuers", issuers.size());
    throw OAuthError.invalidRequest(
        "subject_token is not a valid JWT of a trusted issuer (signature, issuer, audience or"
            + " expiry)");
  }

  private static TrustedIssuer trusted(
      String name, ExchangeConfig.Issuer issuer, JwtVerifiers verifiers) {
    String namespace = issuer.defaultNamespace() ? "" : name + ":";
    String setting = "the broker.exchange.issuers." + name + ".jwks-url";
    try {
      return new TrustedIssuer(
          namespace,
          issuer.subjectClaim(),
          verifiers.create(
              setting,
              issuer.issuer(),
              issuer.jwksUrl(),
              issuer.audience(),
              issuer.clockSkew(),
              issuer.jwksForcedRefresh(),
              Optional.empty()),
          null);
    } catch (ApiException refused) {
      LOG.warnf(
          "Subject tokens of issuer %s are not accepted: the outbound policy refuses %s (list its"
              + " host in broker.outbound.allowed-hosts)",
          name, setting);
      return new TrustedIssuer(namespace, issuer.subjectClaim(), null, setting);
    }
  }

  /**
   * A trusted issuer; {@code namespace} prefixes its subjects ({@code "<name>:"} or none). Without
   * a verifier when the outbound policy refuses its JWKS URL: {@code refusedSetting} names it.
   */
  private record TrustedIssuer(
      String namespace, String subjectClaim, JwtVerifier verifier, String refusedSetting) {}
}
