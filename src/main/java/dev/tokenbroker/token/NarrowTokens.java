package dev.tokenbroker.token;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.tokenbroker.api.ApiException;
import dev.tokenbroker.api.ProblemCodes;
import dev.tokenbroker.caller.AuthenticatedCaller;
import dev.tokenbroker.grant.GrantSnapshot;
import dev.tokenbroker.provider.Downscope;
import dev.tokenbroker.provider.ProviderSettings;
import dev.tokenbroker.provider.Scopes;
import dev.tokenbroker.refresh.GrantRefresher;
import dev.tokenbroker.upstream.IssuedTokens;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.TreeSet;
import org.jboss.logging.Logger;

/**
 * Tokens narrower than a grant's, for callers whose allow rules cover less (DESIGN §6): obtained
 * where the provider's {@code downscope} is {@code refresh}, kept in memory per grant and scope set
 * while the grant holds the access token they were obtained beside, refused otherwise with 403
 * {@code scope_not_allowed} naming the scopes in excess.
 */
@ApplicationScoped
public class NarrowTokens {

  private static final Logger LOG = Logger.getLogger(NarrowTokens.class);

  /** A narrower token, and the grant's access token at the time it was obtained. */
  private record Narrow(String besideGrantToken, IssuedTokens tokens, List<String> scopes) {}

  private final GrantRefresher refresher;
  private final Clock clock;
  private final Cache<String, Narrow> cache =
      Caffeine.newBuilder().maximumSize(100_000).expireAfterWrite(Duration.ofHours(24)).build();

  public NarrowTokens(GrantRefresher refresher, Clock clock) {
    this.refresher = refresher;
    this.clock = clock;
  }

  /**
   * A token for the caller's share of {@code grant}: {@code requested}, or else the grant's scopes
   * that the caller's rules cover. Null when memory alone cannot answer and {@code memoryOnly} is
   * set.
   */
  TokenResponse serve(
      AuthenticatedCaller caller,
      ProviderSettings provider,
      String subject,
      GrantSnapshot grant,
      List<String> requested,
      List<String> excess,
      TokenRequest request,
      long minValidity,
      boolean memoryOnly) {
    List<String> wanted =
        requested != null
            ? requested
            : TokenService.servedScopes(grant).stream().filter(s -> !excess.contains(s)).toList();
    if (provider.definition().downscope() != Downscope.REFRESH || wanted.isEmpty()) {
      throw notAllowed(excess);
    }
    String key = grant.id() + " " + Scopes.join(new TreeSet<>(wanted));
    Narrow cached = cache.getIfPresent(key);
    if (cached != null
        && Objects.equals(cached.besideGrantToken(), grant.accessToken())
        && !cached.tokens().accessToken().equals(request.rejectedAccessToken())
        && cached.tokens().expiresAt().isAfter(clock.instant().plusSeconds(minValidity))) {
      return response(cached, grant.id());
    }
    if (memoryOnly) {
      return null;
    }
    IssuedTokens issued = refresher.narrower(grant.id(), wanted);
    List<String> scopes = issued.scope() != null ? Scopes.parse(issued.scope()) : wanted;
    List<String> still = caller.scopesNotAllowed(provider.id(), subject, scopes);
    if (!still.isEmpty()) {
      LOG.warnf(
          "Provider %s answered a refresh for a narrower scope with %s, not the subset asked for:"
              + " set its downscope to none",
          provider.id(), Scopes.join(scopes));
      throw notAllowed(still);
    }
    Narrow narrow = new Narrow(grant.accessToken(), issued, scopes);
    cache.put(key, narrow);
    return response(narrow, grant.id());
  }

  static ApiException notAllowed(List<String> excess) {
    return new ApiException(
        403,
        ProblemCodes.SCOPE_NOT_ALLOWED,
        "The grant's access token also carries "
            + Scopes.join(excess)
            + ", which your allow rules do not cover, and its provider issues no narrower token"
            + " (downscope)");
  }

  private TokenResponse response(Narrow narrow, String grantId) {
    Instant expiresAt = narrow.tokens().expiresAt();
    return new TokenResponse(
        narrow.tokens().accessToken(),
        "Bearer",
        Math.max(0, Duration.between(clock.instant(), expiresAt).getSeconds()),
        expiresAt,
        Scopes.join(narrow.scopes()),
        grantId);
  }
}
