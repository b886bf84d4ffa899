package dev.tokenbroker.crypto;

import java.util.List;

/**
 * Declared by each bean that seals values into a table, so that key rotation ({@link
 * CiphertextRewrapper}) finds every sealed column from the code that writes it.
 */
public interface SealedColumns {

  List<SealedColumn> sealedColumns();
}
