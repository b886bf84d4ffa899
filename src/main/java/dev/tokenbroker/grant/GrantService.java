package dev.tokenbroker.grant;

import dev.tokenbroker.api.ApiException;
import dev.tokenbroker.api.Page;
import dev.tokenbroker.api.ProblemCodes;
import dev.tokenbroker.audit.AuditActions;
import dev.tokenbroker.audit.AuditEvent;
import dev.tokenbroker.audit.AuditLog;
import dev.tokenbroker.caller.AuthenticatedCaller;
import dev.tokenbroker.provider.GrantType;
import dev.tokenbroker.provider.ProviderRegistry;
import dev.tokenbroker.provider.ProviderSettings;
import dev.tokenbroker.provider.Scopes;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.jboss.logging.Logger;

/** Imports, lists, shows and deletes grants. */
@ApplicationScoped
public class GrantService {

  private static final Logger LOG = Logger.getLogger(GrantService.class);
  static final int MAX_PAGE = 200;

  private final AuditLog audit;
  private final GrantStore store;
  private final GrantPages pages;
  private final GrantSecrets secrets;
  private final GrantCache cache;
  private final ProviderRegistry providers;
  private final RefreshTokenRevoker revoker;
  private final Clock clock;

  public GrantService(
      GrantStore store,
      GrantPages pages,
      GrantSecrets secrets,
      GrantCache cache,
      ProviderRegistry providers,
      RefreshTokenRevoker revoker,
      Clock clock,
      AuditLog audit) {
    this.audit = audit;
    this.store = store;
    this.pages = pages;
    this.secrets = secrets;
    this.cache = cache;
    this.providers = providers;
    this.revoker = revoker;
    this.clock = clock;
  }

  /** Stores an existing refresh token as the grant of (provider, subject). */
  public GrantView importGrant(String providerId, GrantImport body) {
    ProviderSettings provider = providers.require(providerId);
    if (provider.definition().grantType() != GrantType.AUTHORIZATION_CODE) {
      throw ApiException.invalidRequest(
          "provider_id", "client_credentials providers need no imported grant");
    }
    if (!body.scopes().stream().allMatch(Scopes::isValidToken)) {
      throw ApiException.invalidRequest("scopes", "contains an invalid scope");
    }
    if ((body.accessToken() == null) != (body.expiresIn() == null)) {
      throw ApiException.invalidRequest(
          body.accessToken() == null ? "access_token" : "expires_in",
          "access_token and expires_in go together");
    }
    Instant now = clock.instant();
    Instant expiresAt = body.expiresIn() == null ? null : now.plusSeconds(body.expiresIn());
    GrantEntity grant =
        store
            .upsert(
                providerId,
                body.subject(),
                body.scopes(),
                id -> {
                  GrantSecrets.Sealed sealed =
                      secrets.seal(id, body.accessToken(), body.refreshToken());
                  return new TokenWrite(
                      sealed.accessToken(),
                      sealed.refreshToken(),
                      body.accessToken() == null ? null : Scopes.join(body.scopes()),
                      now,
                      expiresAt,
                      now);
                })
            .grant();
    cache.evict(providerId, body.subject());
    LOG.infof("Imported grant %s for provider %s", grant.id, providerId);
    audit.record(
        AuditEvent.success(AuditActions.GRANT_IMPORTED)
            .provider(providerId)
            .grant(grant.id)
            .subject(body.subject()));
    return GrantView.of(grant);
  }

  public Page<GrantView> list(
      AuthenticatedCaller caller,
      String providerId,
      String subject,
      String status,
      int size,
      String cursor) {
    GrantStatus wanted;
    try {
      wanted = status == null ? null : GrantStatus.fromJson(status);
    } catch (IllegalArgumentException e) {
      throw ApiException.invalidRequest(
          "status", "must be active, reauthorization_required or revoked");
    }
    String after = decodeCursor(cursor);
    List<GrantEntity> rows =
        pages.page(
            providerId, subject, wanted, after, size + 1, caller.isAdmin() ? null : caller.allow());
    boolean more = rows.size() > size;
    List<GrantEntity> page = more ? rows.subList(0, size) : rows;
    List<GrantView> visible = new ArrayList<>();
    for (GrantEntity g : page) {
      if (caller.mayUse(g.providerId, g.subject, List.of())) {
        visible.add(GrantView.of(g));
      }
    }
    String next = more ? encodeCursor(page.get(page.size() - 1).id) : null;
    return new Page<>(visible, next);
  }

  public GrantView get(AuthenticatedCaller caller, String grantId) {
    return GrantView.of(visible(caller, grantId));
  }

  /** Deletes the grant, first revoking its refresh token upstream where that is offered. */
  public void delete(AuthenticatedCaller caller, String grantId) {
    GrantEntity grant = visible(caller, grantId);
    String revocation =
        providers
            .find(grant.providerId)
            .map(provider -> revoker.revoke(provider, grant.id, secrets.openRefreshToken(grant)))
            .orElse(null);
    audit.record(
        AuditEvent.success(AuditActions.GRANT_DELETED)
            .provider(grant.providerId)
            .grant(grantId)
            .subject(grant.subject)
            .detail(revocation));
    store.delete(grantId);
    cache.evict(grant.providerId, grant.subject);
    LOG.infof("Deleted grant %s of provider %s", grantId, grant.providerId);
  }

  GrantEntity visible(AuthenticatedCaller caller, String grantId) {
    GrantEntity grant =
        store
            .find(grantId)
            .filter(g -> caller.mayUse(g.providerId, g.subject, List.of()))
            .orElseThrow(
                () -> ApiException.notFound(ProblemCodes.GRANT_NOT_FOUND, "No grant " + grantId));
    return grant;
  }

  private static String encodeCursor(String id) {
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(id.getBytes(StandardCharsets.UTF_8));
  }

  private static String decodeCursor(String cursor) {
    if (cursor == null || cursor.isEmpty()) {
      return null;
    }
    try {
      String id = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
      if (!id.matches("grt_[a-z2-7]{20}")) {
        throw new IllegalArgumentException();
      }
      return id;
    } catch (IllegalArgumentException e) {
      throw ApiException.invalidRequest("cursor", "is not a cursor this API returned");
    }
  }
}
