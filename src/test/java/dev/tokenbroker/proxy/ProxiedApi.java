package dev.tokenbroker.proxy;

import static dev.tokenbroker.support.Api.unique;

import dev.tokenbroker.simulator.ProviderSimulator;
import dev.tokenbroker.support.Api;
import dev.tokenbroker.support.Flows;
import io.restassured.RestAssured;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A provider whose API is the simulator's resource server, with a grant for subject {@code
 * learner}, as the proxy tests set it up; and the calls they make through the proxy.
 */
final class ProxiedApi {

  static final String SUBJECT = "learner";

  final String provider;

  /** Registers the provider (its id made unique from {@code name}) and imports the grant. */
  ProxiedApi(ProviderSimulator sim, String name) {
    provider = unique(name);
    Flows.registerCodeProvider(
        provider, sim, Map.of("api_base_url", sim.resourceServer().baseUrl()));
    Flows.importGrant(provider, SUBJECT, sim.issueRefreshTokenFor("r:profile"));
  }

  /** The API key of a new consumer whose one rule allows these methods and paths. */
  String caller(List<String> methods, List<String> paths) {
    return caller(provider, methods, paths);
  }

  /** As {@link #caller(List, List)}, for another provider. */
  static String caller(String provider, List<String> methods, List<String> paths) {
    Map<String, Object> rule = new HashMap<>();
    rule.put("provider_id", provider);
    rule.put("subjects", List.of("*"));
    rule.put("scopes", List.of("r:*"));
    rule.put("methods", methods);
    rule.put("paths", paths);
    Map<String, Object> body = Api.consumerBody(unique("svc"), provider, List.of("r:*"));
    body.put("allow", List.of(rule));
    return (String) Api.createCaller(body).get("api_key");
  }

  /** A GET through the proxy whose answer the test reads as it arrives. */
  HttpResponse<InputStream> streamed(String apiKey, String upstreamPath) throws Exception {
    return HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(
                    URI.create(
                        "http://localhost:"
                            + RestAssured.port
                            + "/v1/proxy/"
                            + provider
                            + upstreamPath))
                .header("Authorization", "Bearer " + apiKey)
                .header("Token-Broker-Subject", SUBJECT)
                .build(),
            HttpResponse.BodyHandlers.ofInputStream());
  }
}
