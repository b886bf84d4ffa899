package dev.tokenbroker.caller;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.util.List;

/** Body of {@code POST /v1/callers}. */
public record CallerRequest(
    @NotNull
        @Pattern(
            regexp = "[A-Za-z0-9][A-Za-z0-9._-]{0,99}",
            message = "must be 1-100 of [A-Za-z0-9._-]")
        String name,
    @NotNull Role role,
    @Size(max = 100) List<@NotNull @Valid AllowRule> allow) {}
