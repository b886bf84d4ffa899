package dev.tokenbroker.caller;

import dev.tokenbroker.provider.Scopes;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * Grants a consumer tokens of one provider (or {@code *}) for matching subjects and scopes.
 * Patterns use {@code *} as a wildcard; in scopes it stays within one {@code :}-segment.
 */
public record AllowRule(
    @Schema(examples = "badgr-us")
        @NotNull
        @Pattern(regexp = "\\*|[a-z0-9-]{1,64}", message = "must be a provider id or *")
        String providerId,
    @Schema(examples = "[\"*\"]") @NotEmpty @Size(max = 100)
        List<@NotNull @Size(min = 1, max = 255) String> subjects,
    @Schema(examples = "[\"r:*\"]") @NotEmpty @Size(max = 100)
        List<@NotNull @Size(min = 1, max = 255) String> scopes) {

  /** True when this rule admits the provider, the subject and every one of the scopes. */
  public boolean permits(String provider, String subject, List<String> requestedScopes) {
    return admits(provider, subject) && uncovered(requestedScopes).isEmpty();
  }

  /** True when this rule names the provider (or {@code *}) and its subjects match the subject. */
  public boolean admits(String provider, String subject) {
    return ("*".equals(providerId) || providerId.equals(provider))
        && subjects.stream().anyMatch(p -> Scopes.globMatches(p, subject));
  }

  /** The scopes that none of this rule's scope patterns covers. */
  public List<String> uncovered(List<String> requestedScopes) {
    return Scopes.uncovered(requestedScopes, scopes);
  }
}
