package dev.tokenbroker.support;

import static org.junit.jupiter.api.Assertions.fail;

import io.restassured.RestAssured;
import io.restassured.filter.Filter;
import io.restassured.filter.FilterContext;
import io.restassured.response.Response;
import io.restassured.specification.FilterableRequestSpecification;
import io.restassured.specification.FilterableResponseSpecification;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Fails a test when a secret that the suite sent or received shows up where it must not: in a log
 * record as it was logged (seen before the console's redaction filter rewrites it), in any response
 * body but the {@code POST /v1/tokens} and {@code /v1/oauth/token} answers that hand out an access
 * token, in an exception message of a logged record, or in {@code /q/metrics}. Secrets are learned
 * from requests (API keys presented, client secrets, refresh tokens), from responses (new API keys,
 * access tokens), from the test profile's local encryption keys, and from the simulator, which
 * reports every token and code it issues.
 */
public final class SecretLeakGuard implements BeforeEachCallback, AfterEachCallback {

  private static final Set<String> SECRETS = ConcurrentHashMap.newKeySet();
  private static final Pattern SECRET_FIELD =
      Pattern.compile(
          "\"(client_secret|refresh_token|access_token|api_key|code_verifier)\"\\s*:\\s*\"([^\"]+)\"");
  private static final Pattern API_KEY = Pattern.compile("tbk_[a-z2-7]{16}_([A-Za-z0-9_-]{43})");
  private static final Pattern BEARER = Pattern.compile("Bearer (\\S+)");

  private final List<String> leaks = Collections.synchronizedList(new ArrayList<>());
  private LogCapture logs;
  private List<Filter> filtersBefore;

  /** Something the broker must never show; too short values are ignored (false matches). */
  public static void remember(String secret) {
    if (secret == null || secret.length() < 12) {
      return;
    }
    Matcher key = API_KEY.matcher(secret);
    // an API key's id is logged on purpose; its secret part never is
    SECRETS.add(key.matches() ? key.group(1) : secret);
  }

  @Override
  public void beforeEach(ExtensionContext context) throws java.io.IOException {
    remember(Api.ADMIN_KEY);
    rememberLocalKeys();
    leaks.clear();
    logs = LogCapture.startBeforeOtherHandlers();
    filtersBefore = List.copyOf(RestAssured.filters());
    RestAssured.filters(new ResponseCheck());
  }

  @Override
  public void afterEach(ExtensionContext context) {
    RestAssured.replaceFiltersWith(filtersBefore);
    logs.close();
    for (String line : logs.lines()) {
      String secret = containedSecret(line);
      if (secret != null) {
        leaks.add("log record: " + mask(line, secret));
      }
    }
    String metrics = dev.tokenbroker.support.Api.management().get("/q/metrics").asString();
    String inMetrics = containedSecret(metrics);
    if (inMetrics != null) {
      leaks.add("/q/metrics contains a secret");
    }
    if (!leaks.isEmpty()) {
      fail("secrets leaked:\n" + String.join("\n", leaks));
    }
  }

  /** The local encryption keys the test profile generated ({@code version:base64} lines). */
  private static void rememberLocalKeys() throws java.io.IOException {
    java.nio.file.Path keys = java.nio.file.Path.of("target", "test-data", "encryption-keys");
    if (java.nio.file.Files.exists(keys)) {
      for (String line : java.nio.file.Files.readAllLines(keys)) {
        int colon = line.indexOf(':');
        if (colon > 0) {
          remember(line.substring(colon + 1).trim());
        }
      }
    }
  }

  private static String containedSecret(String text) {
    for (String secret : SECRETS) {
      if (text.contains(secret)) {
        return secret;
      }
    }
    return null;
  }

  private static String mask(String text, String secret) {
    String shown = text.replace(secret, "<" + secret.substring(0, 4) + "…>");
    return shown.length() > 400 ? shown.substring(0, 400) + "…" : shown;
  }

  private static void learn(String text) {
    if (text == null) {
      return;
    }
    Matcher field = SECRET_FIELD.matcher(text);
    while (field.find()) {
      remember(field.group(2));
    }
  }

  /** Checks every response against the secrets known before its request, then learns from it. */
  private final class ResponseCheck implements Filter {
    @Override
    public Response filter(
        FilterableRequestSpecification request,
        FilterableResponseSpecification response,
        FilterContext context) {
      String authorization = request.getHeaders().getValue("Authorization");
      if (authorization != null) {
        Matcher bearer = BEARER.matcher(authorization);
        if (bearer.find()) {
          remember(bearer.group(1));
        }
      }
      Object body = request.getBody();
      if (body != null) {
        learn(body.toString());
      }
      Response answer = context.next(request, response);
      String text = answer.asString();
      boolean tokenAnswer =
          "POST".equals(request.getMethod())
              && (request.getURI().contains("/v1/tokens")
                  || request.getURI().contains("/v1/oauth/token"));
      String secret = tokenAnswer ? null : containedSecret(text);
      if (secret != null) {
        leaks.add(
            request.getMethod() + " " + request.getURI() + " answered: " + mask(text, secret));
      }
      learn(text);
      return answer;
    }
  }
}
