package dev.tokenbroker.crypto;

/**
 * A column holding ciphertexts: its table, the column of the row id, and the binding its values are
 * sealed to ({@code bindingTable}, row id, {@code bindingColumn}).
 */
public record SealedColumn(
    String table, String idColumn, String column, String bindingTable, String bindingColumn) {

  /** The binding of this column's value in the row {@code rowId}. */
  public SecretBinding binding(String rowId) {
    return SecretBinding.of(bindingTable, rowId, bindingColumn);
  }
}
