package dev.tokenbroker.grant;

import dev.tokenbroker.api.Syntax;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** Body of {@code POST /v1/providers/{id}/grants}: a refresh token obtained elsewhere. */
public record GrantImport(
    @Schema(examples = "user-42")
        @NotNull
        @Pattern(regexp = Syntax.SUBJECT, message = Syntax.SUBJECT_RULE)
        String subject,
    @NotBlank @Size(max = 8192) String refreshToken,
    @Schema(examples = "[\"r:profile\", \"r:backpack\"]") @NotNull @Size(max = 200)
        List<@NotNull @Size(min = 1, max = 200) String> scopes,
    @Size(min = 1, max = 16384) String accessToken,
    @Schema(examples = "3600") @Min(1) @Max(31_536_000) Integer expiresIn) {

  @Override
  public String toString() {
    return "GrantImport[subject=" + subject + ", scopes=" + scopes + "]";
  }
}
