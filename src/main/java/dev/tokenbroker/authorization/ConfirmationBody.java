package dev.tokenbroker.authorization;

import dev.tokenbroker.api.Syntax;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** Body of {@code POST /v1/authorizations/confirm}: the code from the return URL, and who it is. */
public record ConfirmationBody(
    @Schema(examples = "Vx3k9Qb0oR2mZ5x2tF7hWcYd8y0mZ5x2tF7hWc1d8yA")
        @NotNull
        @Pattern(regexp = "[A-Za-z0-9_-]{16,128}", message = "must be the confirmation code")
        String confirmation,
    @Schema(examples = "user-42")
        @NotNull
        @Pattern(regexp = Syntax.SUBJECT, message = Syntax.SUBJECT_RULE)
        String subject) {}
