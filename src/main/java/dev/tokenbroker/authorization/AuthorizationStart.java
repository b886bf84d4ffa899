package dev.tokenbroker.authorization;

import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.util.List;

/** Body of {@code POST /v1/providers/{id}/authorizations}. */
public record AuthorizationStart(
    @NotNull @Size(min = 1, max = 255) String subject,
    @Size(max = 100) List<@NotNull @Size(min = 1, max = 200) String> scopes,
    @Size(max = 2048) String returnUrl) {}
