package dev.tokenbroker.simulator;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An OAuth2 authorization server for tests, over real HTTP on a loopback port: /authorize
 * auto-approves, /token speaks RFC 6749 (authorization_code with PKCE, refresh_token with rotation
 * and reuse detection that revokes the whole family, client_credentials), /revoke speaks RFC 7009.
 * Faults, latency and lifetimes are configurable; every call is counted.
 *
 * <p>{@link #behaveAs(Platform)} adds a platform's documented behaviour. Every platform's paths are
 * always served: Badgr and Parchment {@code /auth/oauth2/authorize} and {@code /o/token},
 * Brightspace {@code /oauth2/auth} and {@code /core/connect/token}, Open Badge Factory {@code
 * /v2/client/oauth2/token} and {@code /v2/client/{client_id}/ping}.
 */
public final class ProviderSimulator implements AutoCloseable {

  /** A scripted answer for one upcoming token call. */
  public record Fault(int status, String error, Long retryAfterSeconds, long delayMillis) {
    public static Fault status(int status) {
      return new Fault(status, status >= 500 ? null : "invalid_request", null, 0);
    }

    public static Fault oauthError(int status, String error) {
      return new Fault(status, error, null, 0);
    }

    public static Fault tooManyRequests(long retryAfterSeconds) {
      return new Fault(429, null, retryAfterSeconds, 0);
    }

    public static Fault delay(long millis) {
      return new Fault(200, null, null, millis);
    }
  }

  /** Platforms whose documented OAuth2 behaviour the simulator reproduces. */
  public enum Platform {
    /** Plain RFC 6749 with rotation and reuse detection. */
    GENERIC,
    /** Badgr: 24 h tokens, rotation on every refresh, r:profile always granted. */
    BADGR,
    /** Parchment Digital Badges: as Badgr. */
    PARCHMENT,
    /** Brightspace: lifetime set at registration (1800-72000 s), refresh tokens optional. */
    BRIGHTSPACE,
    /**
     * Open Badge Factory: client_credentials only, short tokens, one new token per ten seconds (the
     * answer to a faster request is not documented: this simulator answers 429 with Retry-After and
     * counts the violation), and a ping endpoint that checks a token.
     */
    OPEN_BADGE_FACTORY,
    /**
     * A Badge Connect, Open Badges 3.0 or CLR 2.0 host ({@link BadgeHost}): PKCE S256 required,
     * client_secret_basic only, rotation on every refresh.
     */
    BADGE_HOST
  }

  private static final SecureRandom RANDOM = new SecureRandom();

  private final HttpServer server;
  private final ResourceServer resourceServer;
  private final ExecutorService executor = Executors.newFixedThreadPool(64);
  private final Map<String, CodeGrant> codes = new ConcurrentHashMap<>();
  private volatile String loggedInAccount = "sim-user";
  private final Map<String, Family> families = new ConcurrentHashMap<>();
  private final Map<String, Family> familyByRefreshToken = new ConcurrentHashMap<>();
  private final Map<String, String> accessTokens = new ConcurrentHashMap<>();
  private final Map<String, String> accessTokenScopes = new ConcurrentHashMap<>();
  private final AtomicInteger scopedRefreshes = new AtomicInteger();
  private final ConcurrentLinkedQueue<Fault> faults = new ConcurrentLinkedQueue<>();
  private final java.util.Set<String> issuedSecrets = ConcurrentHashMap.newKeySet();

  private final Map<String, AtomicInteger> tokenCalls = new ConcurrentHashMap<>();
  private final List<Long> tokenCallMillis =
      java.util.Collections.synchronizedList(new java.util.ArrayList<>());
  private final AtomicInteger reuseDetections = new AtomicInteger();
  private final AtomicInteger revocations = new AtomicInteger();
  private final AtomicInteger issueIntervalViolations = new AtomicInteger();
  private final AtomicInteger pings = new AtomicInteger();
  private final Map<String, Long> accessTokenExpiresAtMillis = new ConcurrentHashMap<>();
  private final AtomicInteger concurrentRefreshes = new AtomicInteger();
  private final AtomicInteger maxConcurrentRefreshes = new AtomicInteger();

  private volatile String clientId = "sim-client";
  private volatile String clientSecret = "sim-secret-0123456789";
  private volatile long clientSecretExpiresAtMillis = 0;
  private final BadgeHost badgeHost;
  private volatile long accessTokenLifetimeSeconds = 3600;
  private volatile Clock clock = Clock.systemUTC();
  private volatile boolean rotateRefreshTokens = true;
  private volatile boolean issueRefreshTokens = true;
  private volatile boolean omitScope = false;
  private volatile boolean denyAuthorization = false;
  private volatile String redirectLocation;
  private volatile String issuerParameter;
  private volatile SlowAnswer slowAnswer;
  private volatile boolean dripPings;
  private volatile boolean pingCutOff;
  private volatile long slowAnswerFinishedAtMillis;
  private volatile boolean slowAnswerOver;
  private final AtomicLong slowAnswerBytesWritten = new AtomicLong();
  private volatile long latencyMillis = 0;
  private volatile Platform platform = Platform.GENERIC;
  private volatile long minIssueIntervalMillis = 0;
  private volatile Storm storm;
  private volatile long reuseGraceMillis = 0;
  private volatile double loseResponseChance = 0;
  private final AtomicInteger responsesToLose = new AtomicInteger();
  private final AtomicInteger lostResponses = new AtomicInteger();
  private final AtomicInteger graceReuses = new AtomicInteger();
  private final AtomicInteger stormFaults = new AtomicInteger();

  /** When the last client_credentials request was accepted (for the minimum interval). */
  private final AtomicLong lastTokenIssuedAtMillis = new AtomicLong();

  public ProviderSimulator() {
    try {
      server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 200);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    server.setExecutor(executor);
    server.createContext("/authorize", this::authorize);
    server.createContext("/auth/oauth2/authorize", this::authorize);
    server.createContext("/oauth2/auth", this::authorize);
    server.createContext("/token", this::token);
    server.createContext("/o/token", this::token);
    server.createContext("/core/connect/token", this::token);
    server.createContext("/v2/client/oauth2/token", this::token);
    server.createContext("/v2/client/", this::ping);
    server.createContext("/revoke", this::revoke);
    badgeHost = new BadgeHost(this, server);
    resourceServer = new ResourceServer(this, server);
    server.start();
  }

  public String baseUrl() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  public String clientId() {
    return clientId;
  }

  /** Discovery documents and dynamic registration (Badge Connect, Open Badges 3.0, CLR 2.0). */
  /** The platform API that proxied calls reach, under {@code /api}. */
  public ResourceServer resourceServer() {
    return resourceServer;
  }

  /** Whether a bearer token was issued here, is not revoked and has not expired. */
  boolean bearerValid(String accessToken) {
    Long expires = accessTokenExpiresAtMillis.get(accessToken);
    return accessTokenActive(accessToken) && expires != null && expires >= clock.millis();
  }

  public BadgeHost badgeHost() {
    return badgeHost;
  }

  /** The client a registration created or updated; {@code expiresAtMillis} 0 for never. */
  void registeredClient(String id, String secret, long expiresAtMillis) {
    clientId = id;
    clientSecret = secret;
    clientSecretExpiresAtMillis = expiresAtMillis;
  }

  /** The platform's administrator sets the client's secret (until the next reset). */
  public ProviderSimulator clientSecret(String secret) {
    clientSecret = secret;
    dev.tokenbroker.support.SecretLeakGuard.remember(secret);
    return this;
  }

  public String clientSecret() {
    return clientSecret;
  }

  /**
   * Forgets all tokens, faults and counters and restores the default behaviour. The client id is a
   * new one each time, so that what the broker keeps per client (its request pacing) never carries
   * over from an earlier test.
   */
  public void reset() {
    clientId = "sim-client-" + random().substring(0, 8).toLowerCase(java.util.Locale.ROOT);
    clientSecret = "sim-secret-0123456789";
    clientSecretExpiresAtMillis = 0;
    dev.tokenbroker.support.SecretLeakGuard.remember(clientSecret);
    badgeHost.reset();
    resourceServer.reset();
    codes.clear();
    families.clear();
    familyByRefreshToken.clear();
    accessTokens.clear();
    accessTokenScopes.clear();
    scopedRefreshes.set(0);
    faults.clear();
    redirectLocation = null;
    issuerParameter = null;
    slowAnswer = null;
    slowAnswerFinishedAtMillis = 0;
    slowAnswerOver = false;
    slowAnswerBytesWritten.set(0);
    tokenCalls.clear();
    tokenCallMillis.clear();
    reuseDetections.set(0);
    revocations.set(0);
    issueIntervalViolations.set(0);
    pings.set(0);
    dripPings = false;
    pingCutOff = false;
    accessTokenExpiresAtMillis.clear();
    lastTokenIssuedAtMillis.set(0);
    platform = Platform.GENERIC;
    minIssueIntervalMillis = 0;
    storm = null;
    stormFaults.set(0);
    reuseGraceMillis = 0;
    loseResponseChance = 0;
    responsesToLose.set(0);
    lostResponses.set(0);
    graceReuses.set(0);
    maxConcurrentRefreshes.set(0);
    accessTokenLifetimeSeconds = 3600;
    rotateRefreshTokens = true;
    issueRefreshTokens = true;
    omitScope = false;
    denyAuthorization = false;
    loggedInAccount = "sim-user";
    latencyMillis = 0;
  }

  /** Takes on a platform's documented behaviour (see {@link Platform}). */
  public ProviderSimulator behaveAs(Platform platform) {
    this.platform = platform;
    switch (platform) {
      case BADGR, PARCHMENT -> {
        accessTokenLifetimeSeconds = 86_400;
        rotateRefreshTokens = true;
      }
      case BADGE_HOST -> rotateRefreshTokens = true;
      case BRIGHTSPACE -> {
        accessTokenLifetimeSeconds = 3600;
        rotateRefreshTokens = true;
      }
      case OPEN_BADGE_FACTORY -> {
        accessTokenLifetimeSeconds = 600;
        minIssueIntervalMillis = 10_000;
      }
      case GENERIC -> minIssueIntervalMillis = 0;
    }
    return this;
  }

  /**
   * The time by which tokens expire, refreshes are recorded and reuse grace is measured: a test
   * that moves the broker's clock gives the simulator the same one.
   */
  public ProviderSimulator clock(Clock clock) {
    this.clock = clock;
    return this;
  }

  public ProviderSimulator accessTokenLifetime(long seconds) {
    if (platform == Platform.BRIGHTSPACE && (seconds < 1800 || seconds > 72_000)) {
      throw new IllegalArgumentException("Brightspace lifetimes are 1800-72000 s");
    }
    this.accessTokenLifetimeSeconds = seconds;
    return this;
  }

  /**
   * Refuses a client_credentials token sooner than {@code interval} after the previous one, as Open
   * Badge Factory does with ten seconds.
   */
  public ProviderSimulator minIssueInterval(java.time.Duration interval) {
    this.minIssueIntervalMillis = interval.toMillis();
    return this;
  }

  /**
   * Until {@link #calm()}: each token call fails at random with 503 (share {@code serverErrors}),
   * 429 with Retry-After 1 ({@code tooManyRequests}), or hangs for {@code hangMillis} and then
   * answers 504 without having processed the request ({@code hangs}).
   */
  public ProviderSimulator storm(
      double serverErrors, double tooManyRequests, double hangs, long hangMillis) {
    this.storm = new Storm(serverErrors, tooManyRequests, hangs, hangMillis);
    return this;
  }

  public ProviderSimulator calm() {
    this.storm = null;
    return this;
  }

  /** Token calls the storm failed. */
  public int stormFaults() {
    return stormFaults.get();
  }

  /** How often a new token was asked for sooner than the platform's minimum interval. */
  public int issueIntervalViolations() {
    return issueIntervalViolations.get();
  }

  /** Successful and failed calls of the ping endpoint. */
  /** Makes every ping answer 200 with a body that takes 20 s to arrive. */
  public void dripPings() {
    dripPings = true;
  }

  /** Whether a client hung up on a dripping ping answer before its end. */
  public boolean pingCutOff() {
    return pingCutOff;
  }

  public int pings() {
    return pings.get();
  }

  public ProviderSimulator rotateRefreshTokens(boolean rotate) {
    this.rotateRefreshTokens = rotate;
    return this;
  }

  public ProviderSimulator issueRefreshTokens(boolean issue) {
    this.issueRefreshTokens = issue;
    return this;
  }

  public ProviderSimulator omitScope(boolean omit) {
    this.omitScope = omit;
    return this;
  }

  public ProviderSimulator denyAuthorization(boolean deny) {
    this.denyAuthorization = deny;
    return this;
  }

  public ProviderSimulator latency(long millis) {
    this.latencyMillis = millis;
    return this;
  }

  /** Scripts the next token calls, one fault each, in order. */
  public ProviderSimulator failNext(Fault... next) {
    faults.addAll(List.of(next));
    return this;
  }

  /** Every code, access token and refresh token this simulator handed out. */
  public java.util.Set<String> issuedSecrets() {
    return java.util.Set.copyOf(issuedSecrets);
  }

  /** Drops the scripted faults that were not used yet. */
  public void clearFaults() {
    faults.clear();
  }

  public int tokenCalls(String grantType) {
    AtomicInteger count = tokenCalls.get(grantType);
    return count == null ? 0 : count.get();
  }

  /** Shortest gap between two token calls received, in milliseconds (MAX_VALUE if < 2). */
  public long minimumGapMillis() {
    synchronized (tokenCallMillis) {
      List<Long> sorted = tokenCallMillis.stream().sorted().toList();
      long min = Long.MAX_VALUE;
      for (int i = 1; i < sorted.size(); i++) {
        min = Math.min(min, sorted.get(i) - sorted.get(i - 1));
      }
      return min;
    }
  }

  /** How often each grant family was refreshed, by family id. */
  public Map<String, List<Long>> refreshTimesByFamily() {
    Map<String, List<Long>> times = new HashMap<>();
    families.forEach((id, family) -> times.put(id, List.copyOf(family.refreshedAtMillis)));
    return times;
  }

  /**
   * Like many providers (Okta, Auth0, Keycloak's max reuse, django-oauth-toolkit): a rotated-away
   * refresh token is still accepted for this long and answers with the same new pair.
   */
  public ProviderSimulator reuseGrace(java.time.Duration grace) {
    reuseGraceMillis = grace.toMillis();
    return this;
  }

  /** The next {@code count} refreshes are processed (rotated), then the connection is dropped. */
  public ProviderSimulator loseNextResponses(int count) {
    responsesToLose.set(count);
    return this;
  }

  /** Each refresh is processed and then has its connection dropped with this probability. */
  public ProviderSimulator loseResponses(double chance) {
    loseResponseChance = chance;
    return this;
  }

  /** Refreshes that were processed but whose answer was dropped. */
  public int lostResponses() {
    return lostResponses.get();
  }

  /** Rotated-away refresh tokens accepted within the reuse grace window. */
  public int graceReuses() {
    return graceReuses.get();
  }

  public int reuseDetections() {
    return reuseDetections.get();
  }

  public int revocations() {
    return revocations.get();
  }

  /** Refresh requests being answered right now (each takes at least its latency). */
  public int refreshesInFlight() {
    return concurrentRefreshes.get();
  }

  public int maxConcurrentRefreshes() {
    return maxConcurrentRefreshes.get();
  }

  /** Whether an access token was issued here and its family is not revoked. */
  public boolean accessTokenActive(String accessToken) {
    String familyId = accessTokens.get(accessToken);
    return familyId != null && !families.get(familyId).revoked;
  }

  /**
   * Ends one access token before its expiry (a session ended upstream, say); its refresh token
   * still works.
   */
  public void revokeAccessToken(String accessToken) {
    accessTokens.remove(accessToken);
  }

  /** Makes every token of the family holding this refresh token invalid (as a user would). */
  public void revokeFamilyOf(String refreshToken) {
    Family family = familyByRefreshToken.get(refreshToken);
    if (family != null) {
      family.revoked = true;
    }
  }

  /** The scope an access token issued here carries, as a resource server would see it. */
  public String scopeOf(String accessToken) {
    return accessTokenScopes.get(accessToken);
  }

  /** Refresh requests that asked for a scope (a narrower token, RFC 6749 §6). */
  public int scopedRefreshes() {
    return scopedRefreshes.get();
  }

  /** Creates a grant family directly and returns its refresh token (for import tests). */
  public String issueRefreshTokenFor(String scope) {
    Family family = newFamily(scope);
    return family.currentRefreshToken;
  }

  private void authorize(HttpExchange exchange) throws IOException {
    Map<String, String> q = parse(exchange.getRequestURI().getRawQuery());
    String redirect = q.get("redirect_uri");
    String state = q.get("state");
    if (!clientId.equals(q.get("client_id")) || redirect == null) {
      respond(exchange, 400, "{\"error\":\"invalid_request\"}");
      return;
    }
    String location;
    if (platform == Platform.BADGE_HOST
        && (q.get("code_challenge") == null || !"S256".equals(q.get("code_challenge_method")))) {
      location = redirect + "?error=invalid_request&state=" + enc(state);
    } else if (denyAuthorization) {
      location = redirect + "?error=access_denied&state=" + enc(state);
    } else {
      String code = secret("code-");
      issuedSecrets.add(code);
      // Badgr's approval API (and Parchment's) passes client_id, redirect_uri, state and scopes
      // on, not the challenge: its codes carry none, and a code_verifier is then ignored
      boolean dropsChallenge = platform == Platform.BADGR || platform == Platform.PARCHMENT;
      codes.put(
          code,
          new CodeGrant(
              redirect,
              q.getOrDefault("scope", ""),
              dropsChallenge ? null : q.get("code_challenge"),
              dropsChallenge ? null : q.get("code_challenge_method"),
              loggedInAccount));
      location = redirect + "?code=" + enc(code) + "&state=" + enc(state);
      String iss = issuerParameter;
      if (iss != null) {
        location += "&iss=" + enc(iss);
      }
    }
    exchange.getResponseHeaders().add("Location", location);
    exchange.sendResponseHeaders(302, -1);
    exchange.close();
  }

  private void token(HttpExchange exchange) throws IOException {
    Map<String, String> form =
        parse(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
    String grantType = form.getOrDefault("grant_type", "");
    tokenCalls.computeIfAbsent(grantType, k -> new AtomicInteger()).incrementAndGet();
    tokenCallMillis.add(clock.millis());
    if (redirected(exchange) || answeredSlowly(exchange)) {
      return;
    }
    boolean refresh = "refresh_token".equals(grantType);
    if (refresh) {
      maxConcurrentRefreshes.accumulateAndGet(concurrentRefreshes.incrementAndGet(), Math::max);
    }
    try {
      answerToken(exchange, form, grantType);
    } finally {
      if (refresh) {
        concurrentRefreshes.decrementAndGet();
      }
    }
  }

  /**
   * Who approves at the authorize endpoint from now on: the platform account whose consent the
   * codes it issues carry (a victim approving on someone else's link, say).
   */
  public void loginAs(String account) {
    loggedInAccount = account;
  }

  /** The platform account an access token acts for (null for one issued without a login). */
  public String accountOf(String accessToken) {
    String familyId = accessTokens.get(accessToken);
    return familyId == null ? null : families.get(familyId).account;
  }

  /**
   * The RFC 9207 {@code iss} the authorize endpoint adds to its responses; null sends none (as a
   * server that does not implement it, or an attacker's relay).
   */
  public void sendIssuer(String iss) {
    issuerParameter = iss;
  }

  /**
   * Makes the token and revocation endpoints answer {@code 303 See Other} to {@code location}, as a
   * compromised or misconfigured server would to steer a client's credentials elsewhere.
   */
  public void redirectTo(String location) {
    redirectLocation = location;
  }

  /**
   * Makes the next token call answer 200 with a valid token document padded to {@code bytes} bytes,
   * written in 1-KiB pieces {@code millisPerKiB} apart: a huge answer, or one that drips.
   */
  public void slowAnswer(int bytes, long millisPerKiB) {
    slowAnswer = new SlowAnswer(bytes, millisPerKiB);
  }

  /** When the last slow answer was written to its end (0: not yet, or the client left). */
  public long slowAnswerFinishedAtMillis() {
    return slowAnswerFinishedAtMillis;
  }

  /**
   * Whether the last slow answer is over: written to its end, or cut off by the client closing the
   * connection.
   */
  public boolean slowAnswerOver() {
    return slowAnswerOver;
  }

  /** How much of the last slow answer has been written so far. */
  public long slowAnswerBytesWritten() {
    return slowAnswerBytesWritten.get();
  }

  private boolean answeredSlowly(HttpExchange exchange) throws IOException {
    SlowAnswer answer = slowAnswer;
    if (answer == null) {
      return false;
    }
    slowAnswer = null;
    slowAnswerFinishedAtMillis = 0;
    slowAnswerOver = false;
    // a valid token document, padded: only its size or its pace can make a client refuse it
    String access = secret("at-");
    issuedSecrets.add(access);
    byte[] head =
        ("{\"access_token\":\""
                + access
                + "\",\"token_type\":\"Bearer\",\"expires_in\":3600,\"pad\":\"")
            .getBytes(StandardCharsets.US_ASCII);
    byte[] tail = "\"}".getBytes(StandardCharsets.US_ASCII);
    long length = Math.max(answer.bytes(), head.length + tail.length);
    byte[] pad = new byte[1024];
    java.util.Arrays.fill(pad, (byte) 'a');
    exchange.getResponseHeaders().add("Content-Type", "application/json");
    exchange.sendResponseHeaders(200, length);
    slowAnswerBytesWritten.set(0);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(head);
      slowAnswerBytesWritten.addAndGet(head.length);
      long padding = length - head.length - tail.length;
      for (long written = 0; written < padding; written += pad.length) {
        int chunk = (int) Math.min(pad.length, padding - written);
        out.write(pad, 0, chunk);
        out.flush();
        slowAnswerBytesWritten.addAndGet(chunk);
        sleep(answer.millisPerKiB());
      }
      out.write(tail);
      slowAnswerBytesWritten.addAndGet(tail.length);
      slowAnswerFinishedAtMillis = clock.millis();
    } catch (IOException clientLeft) {
      // the broker closed the connection before the end
    } finally {
      slowAnswerOver = true;
    }
    exchange.close();
    return true;
  }

  private record SlowAnswer(int bytes, long millisPerKiB) {}

  private boolean redirected(HttpExchange exchange) throws IOException {
    String location = redirectLocation;
    if (location == null) {
      return false;
    }
    exchange.getResponseHeaders().add("Location", location);
    exchange.sendResponseHeaders(303, -1);
    exchange.close();
    return true;
  }

  /** The token endpoint's answer, after the configured latency and any scripted fault. */
  private void answerToken(HttpExchange exchange, Map<String, String> form, String grantType)
      throws IOException {
    sleep(latencyMillis);
    Fault fault = faults.poll();
    if (fault != null) {
      sleep(fault.delayMillis());
      if (fault.status() != 200) {
        if (fault.retryAfterSeconds() != null) {
          exchange
              .getResponseHeaders()
              .add("Retry-After", String.valueOf(fault.retryAfterSeconds()));
        }
        respond(
            exchange,
            fault.status(),
            fault.error() == null
                ? "{\"detail\":\"simulated\"}"
                : "{\"error\":\"" + fault.error() + "\"}");
        return;
      }
    }
    if (stormed(exchange)) {
      return;
    }
    if (!clientAuthenticated(exchange, form)) {
      respond(exchange, 401, "{\"error\":\"invalid_client\"}");
      return;
    }
    if (platform == Platform.OPEN_BADGE_FACTORY && !"client_credentials".equals(grantType)) {
      respond(exchange, 400, "{\"error\":\"unsupported_grant_type\"}");
      return;
    }
    if ("client_credentials".equals(grantType) && tooSoon(exchange)) {
      return;
    }
    switch (grantType) {
      case "authorization_code" -> exchangeCode(exchange, form);
      case "refresh_token" -> refresh(exchange, form);
      case "client_credentials" ->
          respond(exchange, 200, tokens(newFamily(form.getOrDefault("scope", "")), false));
      default -> respond(exchange, 400, "{\"error\":\"unsupported_grant_type\"}");
    }
  }

  private void exchangeCode(HttpExchange exchange, Map<String, String> form) throws IOException {
    CodeGrant grant = codes.remove(form.getOrDefault("code", ""));
    if (grant == null || !grant.redirectUri.equals(form.get("redirect_uri"))) {
      respond(exchange, 400, "{\"error\":\"invalid_grant\"}");
      return;
    }
    if (grant.challenge != null) {
      String verifier = form.get("code_verifier");
      if (verifier == null
          || !"S256".equals(grant.method)
          || !grant.challenge.equals(s256(verifier))) {
        respond(
            exchange,
            400,
            "{\"error\":\"invalid_grant\",\"error_description\":\"PKCE verification failed\"}");
        return;
      }
    }
    Family family = newFamily(grantedScope(grant.scope));
    family.account = grant.account;
    respond(exchange, 200, tokens(family, true));
  }

  private String grantedScope(String requested) {
    if ((platform == Platform.BADGR || platform == Platform.PARCHMENT)
        && !List.of(requested.split(" ")).contains("r:profile")) {
      return requested.isBlank() ? "r:profile" : "r:profile " + requested;
    }
    return requested;
  }

  /** Answers with a random storm fault; true when it did. */
  private boolean stormed(HttpExchange exchange) throws IOException {
    Storm current = storm;
    if (current == null) {
      return false;
    }
    double roll = java.util.concurrent.ThreadLocalRandom.current().nextDouble();
    if (roll < current.serverErrors()) {
      stormFaults.incrementAndGet();
      respond(exchange, 503, "{\"detail\":\"storm\"}");
      return true;
    }
    roll -= current.serverErrors();
    if (roll < current.tooManyRequests()) {
      stormFaults.incrementAndGet();
      exchange.getResponseHeaders().add("Retry-After", "1");
      respond(exchange, 429, "{\"detail\":\"storm\"}");
      return true;
    }
    roll -= current.tooManyRequests();
    if (roll < current.hangs()) {
      stormFaults.incrementAndGet();
      sleep(current.hangMillis());
      respond(exchange, 504, "{\"detail\":\"storm\"}");
      return true;
    }
    return false;
  }

  /** Enforces the minimum interval between issued tokens; true when it answered 429. */
  private boolean tooSoon(HttpExchange exchange) throws IOException {
    long interval = minIssueIntervalMillis;
    if (interval <= 0) {
      return false;
    }
    long now = clock.millis();
    long last = lastTokenIssuedAtMillis.get();
    if ((last == 0 || now - last >= interval) && lastTokenIssuedAtMillis.compareAndSet(last, now)) {
      return false;
    }
    issueIntervalViolations.incrementAndGet();
    exchange
        .getResponseHeaders()
        .add("Retry-After", String.valueOf(Math.max(1, (interval - (now - last) + 999) / 1000)));
    respond(exchange, 429, "{\"error\":\"too_many_requests\"}");
    return true;
  }

  /** Open Badge Factory's GET /v2/client/{client_id}/ping: 200 for a live token of the client. */
  private void ping(HttpExchange exchange) throws IOException {
    String path = exchange.getRequestURI().getPath();
    if (!"GET".equals(exchange.getRequestMethod()) || !path.endsWith("/ping")) {
      respond(exchange, 404, "{\"error\":\"not_found\"}");
      return;
    }
    pings.incrementAndGet();
    if (dripPings) {
      pingCutOff = dev.tokenbroker.support.DrippingAnswer.send(exchange, "");
      return;
    }
    String client = path.substring("/v2/client/".length(), path.length() - "/ping".length());
    String header = exchange.getRequestHeaders().getFirst("Authorization");
    String token = header != null && header.startsWith("Bearer ") ? header.substring(7) : "";
    Long expires = accessTokenExpiresAtMillis.get(token);
    if (!accessTokenActive(token) || expires == null || expires < clock.millis()) {
      respond(exchange, 401, "{\"error\":\"invalid_token\"}");
      return;
    }
    if (!clientId.equals(client)) {
      respond(exchange, 403, "{\"error\":\"forbidden\"}");
      return;
    }
    respond(exchange, 200, "{\"status\":\"ok\"}");
  }

  private void refresh(HttpExchange exchange, Map<String, String> form) throws IOException {
    String presented = form.getOrDefault("refresh_token", "");
    Family family = familyByRefreshToken.get(presented);
    if (family == null || family.revoked) {
      respond(exchange, 400, "{\"error\":\"invalid_grant\"}");
      return;
    }
    // RFC 6749 §6: a scope, if given, must not include any scope not originally granted
    String scope = form.getOrDefault("scope", family.scope);
    if (!List.of(family.scope.split(" ")).containsAll(List.of(scope.split(" ")))) {
      respond(exchange, 400, "{\"error\":\"invalid_scope\"}");
      return;
    }
    if (form.containsKey("scope")) {
      scopedRefreshes.incrementAndGet();
    }
    String body;
    synchronized (family) {
      long nowMillis = clock.millis();
      if (presented.equals(family.previousRefreshToken)
          && family.lastAnswer != null
          && nowMillis - family.rotatedAtMillis < reuseGraceMillis) {
        graceReuses.incrementAndGet();
        body = family.lastAnswer;
      } else if (!presented.equals(family.currentRefreshToken)) {
        family.revoked = true;
        reuseDetections.incrementAndGet();
        respond(
            exchange,
            400,
            "{\"error\":\"invalid_grant\",\"error_description\":\"refresh token reuse detected\"}");
        return;
      } else {
        family.refreshedAtMillis.add(nowMillis);
        if (rotateRefreshTokens) {
          family.previousRefreshToken = family.currentRefreshToken;
          family.rotatedAtMillis = nowMillis;
          family.currentRefreshToken = secret("rt-");
          familyByRefreshToken.put(family.currentRefreshToken, family);
        }
        body = tokens(family, rotateRefreshTokens, scope);
        family.lastAnswer = body;
      }
    }
    if (loseThisResponse()) {
      lostResponses.incrementAndGet();
      // processed, answer never sent: closing before the headers drops the connection
      exchange.close();
      return;
    }
    respond(exchange, 200, body);
  }

  private boolean loseThisResponse() {
    if (responsesToLose.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
      return true;
    }
    double chance = loseResponseChance;
    return chance > 0 && java.util.concurrent.ThreadLocalRandom.current().nextDouble() < chance;
  }

  private void revoke(HttpExchange exchange) throws IOException {
    Map<String, String> form =
        parse(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
    if (redirected(exchange)) {
      return;
    }
    if (!clientAuthenticated(exchange, form)) {
      respond(exchange, 401, "{\"error\":\"invalid_client\"}");
      return;
    }
    Family family = familyByRefreshToken.get(form.getOrDefault("token", ""));
    if (family != null) {
      family.revoked = true;
      revocations.incrementAndGet();
    }
    respond(exchange, 200, "");
  }

  private Family newFamily(String scope) {
    Family family = new Family("fam-" + random(), scope);
    family.currentRefreshToken = secret("rt-");
    issuedSecrets.add(family.currentRefreshToken);
    families.put(family.id, family);
    familyByRefreshToken.put(family.currentRefreshToken, family);
    return family;
  }

  private String tokens(Family family, boolean includeRefreshToken) {
    return tokens(family, includeRefreshToken, family.scope);
  }

  /** A token answer whose access token carries {@code scope} (the family's, or a subset). */
  private String tokens(Family family, boolean includeRefreshToken, String scope) {
    String access = secret("at-");
    accessTokenScopes.put(access, scope);
    issuedSecrets.add(access);
    issuedSecrets.add(family.currentRefreshToken);
    accessTokens.put(access, family.id);
    accessTokenExpiresAtMillis.put(access, clock.millis() + accessTokenLifetimeSeconds * 1000);
    StringBuilder json =
        new StringBuilder("{\"token_type\":\"Bearer\",\"access_token\":\"")
            .append(access)
            .append('"');
    json.append(",\"expires_in\":").append(accessTokenLifetimeSeconds);
    if (includeRefreshToken && issueRefreshTokens) {
      json.append(",\"refresh_token\":\"").append(family.currentRefreshToken).append('"');
    }
    if (!omitScope && !scope.isEmpty()) {
      json.append(",\"scope\":\"").append(scope).append('"');
    }
    return json.append('}').toString();
  }

  private boolean clientAuthenticated(HttpExchange exchange, Map<String, String> form) {
    long expiresAt = clientSecretExpiresAtMillis;
    if (expiresAt != 0 && clock.millis() >= expiresAt) {
      return false;
    }
    String header = exchange.getRequestHeaders().getFirst("Authorization");
    if (header != null && header.startsWith("Basic ")) {
      String decoded =
          new String(Base64.getDecoder().decode(header.substring(6)), StandardCharsets.UTF_8);
      int colon = decoded.indexOf(':');
      return colon > 0
          && clientId.equals(URLDecoder.decode(decoded.substring(0, colon), StandardCharsets.UTF_8))
          && clientSecret.equals(
              URLDecoder.decode(decoded.substring(colon + 1), StandardCharsets.UTF_8));
    }
    return platform != Platform.BADGE_HOST
        && clientId.equals(form.get("client_id"))
        && clientSecret.equals(form.get("client_secret"));
  }

  static void respond(HttpExchange exchange, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().add("Content-Type", "application/json");
    exchange.getResponseHeaders().add("Cache-Control", "no-store");
    exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
    if (bytes.length > 0) {
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(bytes);
      }
    }
    exchange.close();
  }

  static Map<String, String> parse(String encoded) {
    Map<String, String> values = new HashMap<>();
    if (encoded == null || encoded.isEmpty()) {
      return values;
    }
    for (String pair : encoded.split("&")) {
      int eq = pair.indexOf('=');
      String key = eq < 0 ? pair : pair.substring(0, eq);
      String value = eq < 0 ? "" : pair.substring(eq + 1);
      values.put(
          URLDecoder.decode(key, StandardCharsets.UTF_8),
          URLDecoder.decode(value, StandardCharsets.UTF_8));
    }
    return values;
  }

  private static String s256(String verifier) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII));
      return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String enc(String value) {
    return value == null ? "" : URLEncoder.encode(value, StandardCharsets.UTF_8);
  }

  /** A token or code: reported to the leak guard, which fails a test that lets it out. */
  static String secret(String prefix) {
    String secret = prefix + random();
    dev.tokenbroker.support.SecretLeakGuard.remember(secret);
    return secret;
  }

  static String random() {
    byte[] bytes = new byte[18];
    RANDOM.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  private static void sleep(long millis) {
    if (millis <= 0) {
      return;
    }
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }

  private record Storm(
      double serverErrors, double tooManyRequests, double hangs, long hangMillis) {}

  private record CodeGrant(
      String redirectUri, String scope, String challenge, String method, String account) {}

  private static final class Family {
    final String id;
    final String scope;
    final List<Long> refreshedAtMillis =
        java.util.Collections.synchronizedList(new java.util.ArrayList<>());
    volatile String currentRefreshToken;
    volatile String previousRefreshToken;
    volatile long rotatedAtMillis;
    volatile String lastAnswer;
    volatile boolean revoked;
    volatile String account;

    Family(String id, String scope) {
      this.id = id;
      this.scope = scope;
    }
  }
}
