package dev.tokenbroker.caller;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** Body of {@code POST /v1/callers}. */
public record CallerRequest(
    @Schema(examples = "issuer-svc")
        @NotNull
        @Pattern(
            regexp = "[A-Za-z0-9][A-Za-z0-9._-]{0,99}",
            message = "must be 1-100 of [A-Za-z0-9._-]")
        String name,
    @NotNull Role role,
    @Size(max = 100) List<@NotNull @Valid AllowRule> allow,
    @Schema(examples = "[\"system:serviceaccount:badges:issuer-svc\"]") @Size(max = 100)
        List<
                @NotNull
                @Pattern(
                    regexp = SERVICE_ACCOUNT,
                    message = "must be system:serviceaccount:<namespace>:<name>")
                String>
            serviceAccounts) {

  /** A Kubernetes service account's username: DNS-1123 namespace and name. */
  public static final String SERVICE_ACCOUNT =
      "system:serviceaccount:[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?:[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?";
}
