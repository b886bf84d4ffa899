package dev.tokenbroker.crypto;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tokenbroker.db.Database;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Key rotation re-wraps only the columns that beans declare; every {@code *_ct} column of the
 * schema must be one of them, or a rotation would leave it on a retired key.
 */
@QuarkusTest
class SealedColumnsTest {

  @Inject Instance<SealedColumns> declared;
  @Inject Database db;

  @Test
  void everyCiphertextColumnOfTheSchemaIsDeclared() {
    Set<String> declaredColumns =
        declared.stream()
            .flatMap(d -> d.sealedColumns().stream())
            .map(c -> c.table() + "." + c.column())
            .collect(Collectors.toCollection(TreeSet::new));
    List<Object[]> rows =
        db.rows(
            "Reading the schema",
            "select table_name, column_name from information_schema.columns"
                + " where lower(column_name) like '%\\_ct' escape '\\'"
                + " and lower(table_schema) = 'public'");
    Set<String> inSchema =
        rows.stream()
            .map(r -> (r[0] + "." + r[1]).toLowerCase(Locale.ROOT))
            .collect(Collectors.toCollection(TreeSet::new));
    assertEquals(inSchema, declaredColumns);
  }
}
