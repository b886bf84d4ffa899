package dev.tokenbroker.authorization;

import dev.tokenbroker.api.ApiException;
import dev.tokenbroker.api.ProblemCodes;
import dev.tokenbroker.audit.AuditActions;
import dev.tokenbroker.audit.AuditEvent;
import dev.tokenbroker.audit.AuditLog;
import dev.tokenbroker.caller.AuthenticatedCaller;
import dev.tokenbroker.grant.GrantStore;
import dev.tokenbroker.grant.GrantView;
import dev.tokenbroker.grant.RefreshTokenRevoker;
import dev.tokenbroker.provider.ProviderRegistry;
import dev.tokenbroker.provider.ProviderSettings;
import dev.tokenbroker.provider.Scopes;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.Response.Status;
import org.jboss.logging.Logger;

/**
 * Settles the flows that wait for the app (DESIGN §6 Authorization integrity): the caller that
 * started one confirms its subject and the tokens become the grant; another subject, or no answer
 * within the confirmation lifetime, revokes them upstream and leaves any existing grant as it was.
 */
@ApplicationScoped
public class ConsentConfirmation {

  private static final Logger LOG = Logger.getLogger(ConsentConfirmation.class);
  private static final int DISCARD_BATCH = 100;

  private final AuthorizationRequests requests;
  private final PendingTokens secrets;
  private final AuthorizedGrants authorizedGrants;
  private final ProviderRegistry providers;
  private final RefreshTokenRevoker revoker;
  private final AuditLog audit;

  public ConsentConfirmation(
      AuthorizationRequests requests,
      PendingTokens secrets,
      AuthorizedGrants authorizedGrants,
      ProviderRegistry providers,
      RefreshTokenRevoker revoker,
      AuditLog audit) {
    this.requests = requests;
    this.secrets = secrets;
    this.authorizedGrants = authorizedGrants;
    this.providers = providers;
    this.revoker = revoker;
    this.audit = audit;
  }

  /** What settling one flow decided, carried out of its transaction. */
  private record Settled(
      AuthorizationRequestEntity request,
      ProviderSettings provider,
      GrantStore.Upserted stored,
      String discardedRefreshToken) {}

  public GrantView confirm(AuthenticatedCaller caller, String confirmation, String subject) {
    String hash = AuthorizationRequests.hash(confirmation);
    Settled settled = QuarkusTransaction.requiringNew().call(() -> settle(caller, hash, subject));
    if (settled == null) {
      throw new ApiException(
          Status.BAD_REQUEST,
          ProblemCodes.INVALID_CONFIRMATION,
          "Unknown, used or expired confirmation; start the authorization again");
    }
    AuthorizationRequestEntity request = settled.request();
    if (settled.stored() == null) {
      LOG.warnf(
          "Caller %s confirmed another subject than the one its authorization at provider %s was"
              + " started for; the new tokens were discarded",
          caller.id(), request.providerId);
      String revoked = revoke(settled);
      audit.record(
          AuditEvent.of(AuditActions.AUTHORIZATION_CONFIRMED, ProblemCodes.CONFIRMATION_MISMATCH)
              .provider(request.providerId)
              .subject(request.subject)
              .grant(request.grantId)
              .detail("tokens discarded, " + revoked));
      throw new ApiException(
          Status.CONFLICT,
          ProblemCodes.CONFIRMATION_MISMATCH,
          "The authorization was started for another subject; its tokens were revoked and"
              + " discarded, and an existing grant keeps its previous tokens");
    }
    authorizedGrants.written(settled.provider(), settled.stored());
    audit.record(
        AuditEvent.success(AuditActions.AUTHORIZATION_CONFIRMED)
            .provider(request.providerId)
            .subject(request.subject)
            .grant(settled.stored().grant().id));
    return GrantView.of(settled.stored().grant());
  }

  private Settled settle(AuthenticatedCaller caller, String confirmationHash, String subject) {
    AuthorizationRequestEntity request = requests.claimConfirmation(confirmationHash, caller.id());
    if (request == null) {
      return null;
    }
    ProviderSettings provider = providers.find(request.providerId).orElse(null);
    if (provider == null) {
      return null;
    }
    if (!request.subject.equals(subject)) {
      return discard(request, provider);
    }
    if (!caller.mayUse(provider.id(), subject, Scopes.parse(request.scopes))) {
      throw ApiException.forbidden("Your allow rules no longer cover this authorization");
    }
    GrantStore.Upserted stored =
        authorizedGrants.write(
            provider, request.subject, request.scopes, secrets.open(request), request.grantId);
    requests.clearPending(request);
    return new Settled(request, provider, stored, null);
  }

  private Settled discard(AuthorizationRequestEntity request, ProviderSettings provider) {
    String refreshToken = secrets.openRefreshToken(request);
    requests.clearPending(request);
    return new Settled(request, provider, null, refreshToken);
  }

  /** Revokes and forgets the tokens of flows nobody confirmed in time. */
  @Scheduled(
      every = "1m",
      delayed = "30s",
      concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
  void discardExpired() {
    for (String stateHash : requests.expiredUnconfirmed(DISCARD_BATCH)) {
      Settled settled;
      try {
        settled =
            QuarkusTransaction.requiringNew()
                .call(
                    () -> {
                      AuthorizationRequestEntity request = requests.claimExpired(stateHash);
                      ProviderSettings provider =
                          request == null ? null : providers.find(request.providerId).orElse(null);
                      return provider == null ? null : discard(request, provider);
                    });
      } catch (RuntimeException e) {
        // left waiting (the claim rolled back) for the next run; the others go on
        LOG.warnf(
            "Could not discard an unconfirmed authorization (%s); trying again later",
            e.getClass().getSimpleName());
        continue;
      }
      if (settled == null) {
        continue;
      }
      AuthorizationRequestEntity request = settled.request();
      String revoked = revoke(settled);
      LOG.infof(
          "Authorization for grant %s at provider %s was not confirmed in time; its tokens were"
              + " discarded (%s)",
          request.grantId, request.providerId, revoked);
      audit.record(
          AuditEvent.of(AuditActions.AUTHORIZATION_DISCARDED, "confirmation_expired")
              .actor(request.callerId)
              .provider(request.providerId)
              .subject(request.subject)
              .grant(request.grantId)
              .detail(revoked));
    }
  }

  private String revoke(Settled discarded) {
    return revoker.revoke(
        discarded.provider(), discarded.request().grantId, discarded.discardedRefreshToken());
  }
}
