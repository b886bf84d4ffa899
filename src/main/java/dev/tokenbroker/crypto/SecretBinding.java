package dev.tokenbroker.crypto;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

/** The identity of the row and column a secret belongs to, used as associated data. */
public record SecretBinding(String table, String rowId, String column) {

  public SecretBinding {
    Objects.requireNonNull(table);
    Objects.requireNonNull(rowId);
    Objects.requireNonNull(column);
  }

  public static SecretBinding of(String table, String rowId, String column) {
    return new SecretBinding(table, rowId, column);
  }

  /** Unambiguous byte form: the parts never contain a newline. */
  public byte[] bytes() {
    return (table + "\n" + rowId + "\n" + column).getBytes(StandardCharsets.UTF_8);
  }
}
