package dev.tokenbroker.api;

import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** A list reply: {@code {"items": [...], "next_cursor": null | "..."}}. */
public record Page<T>(
    List<T> items,
    @Schema(description = "opaque; pass it as cursor for the next page, null on the last page")
        String nextCursor) {

  public static <T> Page<T> of(List<T> items) {
    return new Page<>(items, null);
  }
}
