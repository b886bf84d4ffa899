package dev.tokenbroker.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/** RFC 9457 problem details body with the broker's {@code code} extension member. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Problem(
    String type,
    String title,
    int status,
    String detail,
    String instance,
    String code,
    Long retryAfterSeconds,
    List<ApiException.InvalidParam> invalidParams) {

  public static final String MEDIA_TYPE = "application/problem+json";
}
