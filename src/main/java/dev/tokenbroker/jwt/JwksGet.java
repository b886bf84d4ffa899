package dev.tokenbroker.jwt;

import dev.tokenbroker.outbound.OutboundHttp;
import java.io.IOException;
import java.security.cert.X509Certificate;
import java.util.Collection;
import java.util.List;
import org.jose4j.http.Get;
import org.jose4j.http.SimpleResponse;

/**
 * How jose4j reads a JWKS for SmallRye JWT, replaced by the broker's JSON client ({@link
 * OutboundHttp}): the outbound policy, the egress gate, one deadline and a size cap for the whole
 * answer, no redirect. Trusted certificates that SmallRye JWT sets (a cluster's CA) are kept; its
 * proxy is not needed, the client has the gate.
 */
final class JwksGet extends Get {

  private OutboundHttp http;

  JwksGet(OutboundHttp http) {
    this.http = http;
  }

  @Override
  public SimpleResponse get(String location) throws IOException {
    OutboundHttp.Answer answer;
    try {
      answer = http.get(location);
    } catch (OutboundHttp.Unreachable e) {
      throw new IOException("The JWKS " + e.getMessage(), e);
    }
    if (answer.status() != 200) {
      // as jose4j's own client: only a 200 carries keys
      throw new IOException("The JWKS answered " + answer.status());
    }
    return new Response(answer.status(), answer.body().map(Object::toString).orElse(""));
  }

  @Override
  public void setTrustedCertificates(X509Certificate... certificates) {
    setTrustedCertificates(List.of(certificates));
  }

  @Override
  public void setTrustedCertificates(Collection<X509Certificate> certificates) {
    http = http.trusting(certificates);
  }

  private record Response(int status, String body) implements SimpleResponse {
    @Override
    public int getStatusCode() {
      return status;
    }

    @Override
    public String getStatusMessage() {
      return "";
    }

    @Override
    public Collection<String> getHeaderNames() {
      return List.of();
    }

    @Override
    public List<String> getHeaderValues(String name) {
      return List.of();
    }

    @Override
    public String getBody() {
      return body;
    }
  }
}
