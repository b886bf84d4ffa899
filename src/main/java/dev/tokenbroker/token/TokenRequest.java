package dev.tokenbroker.token;

import dev.tokenbroker.api.Syntax;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** Body of {@code POST /v1/tokens}. */
public record TokenRequest(
    @Schema(examples = "badgr-us")
        @NotNull
        @Pattern(regexp = "[a-z0-9-]{1,64}", message = "must be 1-64 of [a-z0-9-]")
        String providerId,
    @Schema(examples = "user-42") @Pattern(regexp = Syntax.SUBJECT, message = Syntax.SUBJECT_RULE)
        String subject,
    @Schema(examples = "[\"r:backpack\"]") @Size(max = 100)
        List<@NotNull @Size(min = 1, max = 200) String> scopes,
    @Schema(examples = "60", defaultValue = "30") @Min(0) @Max(86_400) Integer minValiditySeconds,
    @Size(min = 1, max = 8192) String rejectedAccessToken) {}
