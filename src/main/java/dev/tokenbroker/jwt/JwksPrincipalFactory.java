package dev.tokenbroker.jwt;

import dev.tokenbroker.outbound.OutboundHttp;
import io.smallrye.jwt.auth.principal.DefaultJWTCallerPrincipal;
import io.smallrye.jwt.auth.principal.DefaultJWTTokenParser;
import io.smallrye.jwt.auth.principal.JWTAuthContextInfo;
import io.smallrye.jwt.auth.principal.JWTCallerPrincipal;
import io.smallrye.jwt.auth.principal.JWTCallerPrincipalFactory;
import io.smallrye.jwt.auth.principal.KeyLocationResolver;
import io.smallrye.jwt.auth.principal.ParseException;
import java.io.IOException;
import org.jose4j.http.Get;
import org.jose4j.jwt.consumer.JwtContext;
import org.jose4j.keys.resolvers.VerificationKeyResolver;
import org.jose4j.lang.UnresolvableKeyException;

/**
 * SmallRye JWT's own parsing and key resolution (its default factory's), with one change: the JWKS
 * is read by {@link JwksGet} instead of jose4j's {@code HttpURLConnection} client.
 */
final class JwksPrincipalFactory extends JWTCallerPrincipalFactory {

  private final DefaultJWTTokenParser parser;

  JwksPrincipalFactory(OutboundHttp http) {
    this.parser = new Parser(http);
  }

  @Override
  public JWTCallerPrincipal parse(String token, JWTAuthContextInfo info) throws ParseException {
    JwtContext context = parser.parse(token, info);
    String type = context.getJoseObjects().get(0).getHeader("typ");
    return new DefaultJWTCallerPrincipal(type, context.getJwtClaims());
  }

  private static final class Parser extends DefaultJWTTokenParser {

    private final OutboundHttp http;
    private volatile VerificationKeyResolver keys;

    Parser(OutboundHttp http) {
      this.http = http;
    }

    @Override
    protected VerificationKeyResolver getVerificationKeyResolver(JWTAuthContextInfo info)
        throws UnresolvableKeyException {
      VerificationKeyResolver current = keys;
      if (current == null) {
        synchronized (this) {
          if (keys == null) {
            keys = keys(info, http);
          }
          current = keys;
        }
      }
      return current;
    }
  }

  /**
   * The JWKS location resolver of SmallRye JWT, reading with {@link JwksGet}. Its constructor reads
   * the JWKS already: an anonymous class's captured {@code http} is set before that runs, a field
   * of a named subclass would not be.
   */
  private static VerificationKeyResolver keys(JWTAuthContextInfo info, OutboundHttp http)
      throws UnresolvableKeyException {
    return new KeyLocationResolver(info) {
      @Override
      protected Get getHttpGet() {
        return new JwksGet(http);
      }

      @Override
      protected String readKeyContent(String location) throws IOException {
        if (location.regionMatches(true, 0, "http", 0, 4)) {
          // SmallRye JWT reads a key URL again with the JDK's URL stream when it failed as a JWKS
          throw new IOException("A key URL is read as a JWKS only");
        }
        return super.readKeyContent(location);
      }
    };
  }
}
