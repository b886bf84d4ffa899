package dev.tokenbroker.support;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.HashMap;
import java.util.Map;

/**
 * Starts {@link TestIssuers} and points the broker at them: service-account callers from the
 * cluster issuer (over https with its own CA, JWKS found by discovery), subject tokens from the
 * identity provider.
 */
public class TestIssuersResource implements QuarkusTestResourceLifecycleManager {

  private TestIssuers issuers;

  @Override
  public Map<String, String> start() {
    issuers = new TestIssuers();
    Map<String, String> config = new HashMap<>();
    config.put("broker.caller.jwt.issuer", issuers.clusterIssuer());
    config.put("broker.caller.jwt.tls-certificate-path", issuers.clusterCaCertificate());
    config.put("broker.caller.jwt.audience", TestIssuers.AUDIENCE);
    config.put("broker.caller.jwt.clock-skew", "5s");
    config.put("broker.caller.jwt.jwks-forced-refresh", "0s");
    config.put("broker.exchange.issuers.idp.issuer", issuers.idpIssuer());
    config.put("broker.exchange.issuers.idp.jwks-url", issuers.baseUrl() + "/idp/jwks");
    config.put("broker.exchange.issuers.idp.audience", TestIssuers.AUDIENCE);
    config.put("broker.exchange.issuers.idp.clock-skew", "5s");
    config.put("broker.exchange.issuers.idp.default-namespace", "true");
    config.put("broker.exchange.issuers.partner.issuer", issuers.partnerIssuer());
    config.put("broker.exchange.issuers.partner.jwks-url", issuers.baseUrl() + "/partner/jwks");
    config.put("broker.exchange.issuers.partner.audience", TestIssuers.AUDIENCE);
    return config;
  }

  @Override
  public void inject(TestInjector injector) {
    injector.injectIntoFields(
        issuers, new TestInjector.AnnotatedAndMatchesType(InjectIssuers.class, TestIssuers.class));
  }

  @Override
  public void stop() {
    if (issuers != null) {
      issuers.close();
    }
  }
}
