package dev.tokenbroker.caller;

import java.util.List;

/** Who made the current request. */
public record AuthenticatedCaller(String id, String name, Role role, List<AllowRule> allow) {

  public boolean isAdmin() {
    return role == Role.ADMIN;
  }

  /** Admins may do anything; consumers only what one of their allow rules permits. */
  public boolean mayUse(String providerId, String subject, List<String> scopes) {
    if (isAdmin()) {
      return true;
    }
    for (AllowRule rule : allow) {
      if (rule.permits(providerId, subject, scopes)) {
        return true;
      }
    }
    return false;
  }

  /**
   * The scopes a token may not carry for this caller: empty when one rule covers all of them,
   * otherwise the fewest left over by any rule that admits the provider and subject.
   */
  public List<String> scopesNotAllowed(String providerId, String subject, List<String> scopes) {
    if (isAdmin()) {
      return List.of();
    }
    List<String> fewest = scopes;
    for (AllowRule rule : allow) {
      if (rule.admits(providerId, subject)) {
        List<String> excess = rule.uncovered(scopes);
        if (excess.size() < fewest.size()) {
          fewest = excess;
        }
      }
    }
    return fewest;
  }

  /** Admins may call anything; consumers only a method and path one of their rules names. */
  public boolean mayCall(String providerId, String subject, String method, String path) {
    return isAdmin()
        || allow.stream().anyMatch(r -> r.permitsCall(providerId, subject, method, path));
  }

  /** Whether any rule names this provider, so the caller may at least learn a grant exists. */
  public boolean mayUseProvider(String providerId) {
    return isAdmin()
        || allow.stream()
            .anyMatch(r -> "*".equals(r.providerId()) || r.providerId().equals(providerId));
  }
}
