package dev.tokenbroker.caller;

import dev.tokenbroker.provider.Scopes;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * Grants a consumer tokens of one provider (or {@code *}) for matching subjects and scopes, and,
 * where it names both methods and paths, calls through the API proxy. Patterns use {@code *} as a
 * wildcard; in scopes it stays within one {@code :}-segment, in paths within one {@code /}-segment
 * ({@code **} crosses segments).
 */
public record AllowRule(
    @Schema(examples = "badgr-us")
        @NotNull
        @Pattern(regexp = "\\*|[a-z0-9-]{1,64}", message = "must be a provider id or *")
        String providerId,
    @Schema(examples = "[\"*\"]") @NotEmpty @Size(max = 100)
        List<@NotNull @Size(min = 1, max = 255) String> subjects,
    @Schema(examples = "[\"r:*\"]") @NotEmpty @Size(max = 100)
        List<@NotNull @Size(min = 1, max = 255) String> scopes,
    @Schema(
            description = "HTTP methods this rule allows through /v1/proxy (default none)",
            examples = "[\"GET\"]")
        @Size(max = 6)
        List<
                @NotNull
                @Pattern(
                    regexp = "GET|HEAD|POST|PUT|PATCH|DELETE",
                    message = "must be GET, HEAD, POST, PUT, PATCH or DELETE")
                String>
            methods,
    @Schema(
            description =
                "Path globs after the provider's api_base_url this rule allows through /v1/proxy"
                    + " (default none)",
            examples = "[\"/v2/backpack/assertions\", \"/v2/backpack/assertions/*\"]")
        @Size(max = 100)
        List<
                @NotNull
                @Pattern(
                    regexp = "/[A-Za-z0-9._~!$&'()*+,;=:@-]*(/[A-Za-z0-9._~!$&'()*+,;=:@-]*)*",
                    message = "must be an absolute path of unreserved characters and * globs")
                @Size(max = 255) String>
            paths) {

  public AllowRule {
    methods = methods == null ? List.of() : List.copyOf(methods);
    paths = paths == null ? List.of() : List.copyOf(paths);
  }

  /** A rule that allows no proxy call. */
  public AllowRule(String providerId, List<String> subjects, List<String> scopes) {
    this(providerId, subjects, scopes, null, null);
  }

  /** True when this rule admits the provider, the subject and every one of the scopes. */
  public boolean permits(String provider, String subject, List<String> requestedScopes) {
    return admits(provider, subject) && uncovered(requestedScopes).isEmpty();
  }

  /** True when this rule names the provider (or {@code *}) and its subjects match the subject. */
  public boolean admits(String provider, String subject) {
    if (!"*".equals(providerId) && !providerId.equals(provider)) {
      return false;
    }
    for (String pattern : subjects) {
      if (Scopes.globMatches(pattern, subject)) {
        return true;
      }
    }
    return false;
  }

  /** True when this rule admits the provider and subject and names the method and the path. */
  public boolean permitsCall(String provider, String subject, String method, String path) {
    return admits(provider, subject)
        && methods.contains(method)
        && paths.stream().anyMatch(glob -> PathGlob.matches(glob, path));
  }

  /** The scopes that none of this rule's scope patterns covers. */
  public List<String> uncovered(List<String> requestedScopes) {
    return Scopes.uncovered(requestedScopes, scopes);
  }
}
