package dev.tokenbroker.authorization;

import dev.tokenbroker.api.Syntax;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** Body of {@code POST /v1/providers/{id}/authorizations}. */
public record AuthorizationStart(
    @Schema(examples = "user-42")
        @NotNull
        @Pattern(regexp = Syntax.SUBJECT, message = Syntax.SUBJECT_RULE)
        String subject,
    @Schema(examples = "[\"r:profile\", \"r:backpack\"]") @Size(max = 100)
        List<@NotNull @Size(min = 1, max = 200) String> scopes,
    @Schema(examples = "https://app.internal/done") @Size(max = 2048) String returnUrl) {}
