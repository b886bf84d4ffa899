package bench.floor;

import io.smallrye.common.annotation.NonBlocking;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.time.Instant;
import java.util.List;
import org.jboss.resteasy.reactive.ResponseHeader;

/**
 * POST /v1/tokens with the broker's request and answer records, constraints and JSON settings,
 * answering a constant token on the event loop as the broker answers a cached one: no
 * authentication, no cache, no audit, no metrics.
 */
@Path("/v1/tokens")
public class Tokens {

  public record Request(
      @NotNull @Pattern(regexp = "[a-z0-9-]{1,64}") String providerId,
      @Pattern(regexp = "[^\\p{Cc}\\p{Cs}]{1,255}") String subject,
      @Size(max = 100) List<@NotNull @Size(min = 1, max = 200) String> scopes,
      @Min(0) @Max(86_400) Integer minValiditySeconds,
      @Size(min = 1, max = 8192) String rejectedAccessToken) {}

  public record Answer(
      String accessToken,
      String tokenType,
      long expiresIn,
      Instant expiresAt,
      String scope,
      String grantId) {}

  private static final Instant EXPIRES_AT = Instant.parse("2030-01-01T00:00:00Z");

  @POST
  @Consumes(MediaType.APPLICATION_JSON)
  @Produces(MediaType.APPLICATION_JSON)
  @ResponseHeader(name = "Cache-Control", value = "no-store")
  @ResponseHeader(name = "Pragma", value = "no-cache")
  @NonBlocking
  public Answer issue(@NotNull @Valid Request request) {
    return new Answer("at-floor", "Bearer", 3600, EXPIRES_AT, "read", "grt_floor");
  }
}
