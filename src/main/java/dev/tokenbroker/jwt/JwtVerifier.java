package dev.tokenbroker.jwt;

import dev.tokenbroker.outbound.OutboundHttp;
import io.smallrye.jwt.algorithm.SignatureAlgorithm;
import io.smallrye.jwt.auth.principal.DefaultJWTParser;
import io.smallrye.jwt.auth.principal.JWTAuthContextInfo;
import io.smallrye.jwt.auth.principal.ParseException;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.jboss.logging.Logger;

/**
 * Verifies JWTs of one issuer with SmallRye JWT: signature against the issuer's JWKS (read with the
 * broker's outbound client, cached, re-read on an unknown key id at most once per {@code
 * forcedRefresh}), issuer, audience and expiry within the clock skew.
 */
public final class JwtVerifier {

  private static final Pattern COMPACT_JWS =
      Pattern.compile("[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+");

  private static final Logger LOG = Logger.getLogger(JwtVerifier.class);

  private static final Pattern EMBEDDED_JWS =
      Pattern.compile("[A-Za-z0-9_-]{8,}\\.[A-Za-z0-9_-]{8,}\\.[A-Za-z0-9_-]{8,}");

  private final DefaultJWTParser parser;

  /**
   * @param tlsCertificatePath a PEM certificate to trust when reading the JWKS (a cluster's own CA)
   * @param http the client that reads the JWKS
   */
  JwtVerifier(
      String issuer,
      String jwksUrl,
      String audience,
      Duration clockSkew,
      Duration forcedRefresh,
      Optional<String> tlsCertificatePath,
      OutboundHttp http) {
    JWTAuthContextInfo info = new JWTAuthContextInfo(jwksUrl, issuer);
    tlsCertificatePath.ifPresent(info::setTlsCertificatePath);
    info.setExpectedAudience(Set.of(audience));
    info.setClockSkew((int) clockSkew.toSeconds());
    info.setForcedJwksRefreshInterval((int) forcedRefresh.toMinutes());
    info.setJwksRefreshInterval(60);
    info.setSignatureAlgorithm(
        Set.of(
            SignatureAlgorithm.RS256,
            SignatureAlgorithm.RS384,
            SignatureAlgorithm.RS512,
            SignatureAlgorithm.PS256,
            SignatureAlgorithm.ES256,
            SignatureAlgorithm.ES384));
    this.parser = new DefaultJWTParser(info, new JwksPrincipalFactory(http));
  }

  /** Whether a credential has the compact JWS shape, so that it is worth verifying as a JWT. */
  public static boolean looksLikeJwt(String credential) {
    return credential != null
        && credential.length() <= 16_384
        && COMPACT_JWS.matcher(credential).matches();
  }

  /** The verified token, or empty when any check fails. */
  public Optional<JsonWebToken> verify(String token) {
    if (!looksLikeJwt(token)) {
      return Optional.empty();
    }
    try {
      return Optional.of(parser.parse(token));
    } catch (ParseException | RuntimeException e) {
      LOG.debugf("JWT rejected: %s", reason(e));
      return Optional.empty();
    }
  }

  /** Why, without the token: jose4j's messages quote it. */
  private static String reason(Throwable e) {
    StringBuilder reason = new StringBuilder();
    for (Throwable t = e; t != null; t = t.getCause()) {
      reason.append(reason.length() == 0 ? "" : " <- ").append(t.getMessage());
    }
    return EMBEDDED_JWS.matcher(reason).replaceAll("<token>");
  }
}
