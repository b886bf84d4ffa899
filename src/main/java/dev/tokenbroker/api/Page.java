package dev.tokenbroker.api;

import java.util.List;

/** A list reply: {@code {"items": [...], "next_cursor": null | "..."}}. */
public record Page<T>(List<T> items, String nextCursor) {

  public static <T> Page<T> of(List<T> items) {
    return new Page<>(items, null);
  }
}
