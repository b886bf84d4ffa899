package dev.tokenbroker.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tokenbroker.api.StoreFailures;
import dev.tokenbroker.grant.GrantStatus;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** {@link Database} on both databases the broker runs on: H2 and a real PostgreSQL. */
class DatabaseTest {

  private static EmbeddedPostgres postgres;
  private static int tables;

  @BeforeAll
  static void start() throws IOException {
    postgres = EmbeddedPostgres.builder().start();
  }

  @AfterAll
  static void stop() throws IOException {
    postgres.close();
  }

  static Stream<String> databases() {
    return Stream.of("h2", "postgres");
  }

  /** A fresh table on the named database: id, a timestamp, a status and a number. */
  private static Fixture fixture(String kind) {
    DataSource source;
    if (kind.equals("h2")) {
      JdbcDataSource h2 = new JdbcDataSource();
      h2.setURL("jdbc:h2:mem:database-test;DB_CLOSE_DELAY=-1");
      source = h2;
    } else {
      source = postgres.getPostgresDatabase();
    }
    Database db = new Database(source);
    String table = "t" + ++tables;
    db.update(
        "Creating " + table,
        "create table "
            + table
            + " (id varchar(10) primary key, at timestamp with time zone,"
            + " status varchar(40), n integer)");
    return new Fixture(db, table);
  }

  private record Fixture(Database db, String table) {
    void insert(String id, Instant at, GrantStatus status, Integer n) {
      db.update(
          "Storing " + id, "insert into " + table + " values (?1, ?2, ?3, ?4)", id, at, status, n);
    }

    List<String> ids(String where, Object... parameters) {
      return db.list(
          "Reading ids",
          "select id from " + table + " where " + where + " order by id",
          row -> row.getString(1),
          parameters);
    }
  }

  @ParameterizedTest
  @MethodSource("databases")
  void numberedParametersMayRepeatAndComeInAnyOrder(String kind) {
    Fixture f = fixture(kind);
    f.db().update("Storing", "insert into " + f.table() + " (n, id) values (?2, ?1)", "a", 7);
    f.insert("b", null, null, 3);
    assertEquals(List.of("a"), f.ids("n = ?2 or id = ?1", "x", 7));
    assertEquals(List.of("a", "b"), f.ids("id = ?1 or n = ?2 or id = ?1", "b", 7));
  }

  @ParameterizedTest
  @MethodSource("databases")
  void aCollectionExpandsToAListForIn(String kind) {
    Fixture f = fixture(kind);
    for (String id : List.of("a", "b", "c", "d")) {
      f.insert(id, null, null, null);
    }
    assertEquals(List.of("a", "c"), f.ids("id in (?1) and id <> ?2", List.of("a", "c", "z"), "b"));
    assertEquals(List.of("d"), f.ids("id in (?2)", "a", List.of("d")));
    IllegalArgumentException empty =
        assertThrows(IllegalArgumentException.class, () -> f.ids("id in (?1)", List.of()));
    assertTrue(empty.getMessage().startsWith("An empty list"), empty.getMessage());
  }

  @ParameterizedTest
  @MethodSource("databases")
  void instantsEnumsAndNullsGoInAndComeBackAsTheyWere(String kind) {
    Fixture f = fixture(kind);
    Instant at = Instant.parse("2026-03-29T01:30:00.123456Z");
    f.insert("a", at, GrantStatus.REAUTHORIZATION_REQUIRED, null);
    Optional<Object[]> read =
        f.db()
            .first(
                "Reading a",
                "select at, status, n from " + f.table() + " where id = ?1",
                row ->
                    new Object[] {
                      Database.instant(row, "at"),
                      Database.enumValue(row, "status", GrantStatus.class),
                      Database.nullableInt(row, "n")
                    },
                "a");
    assertEquals(at, read.orElseThrow()[0]);
    assertEquals(GrantStatus.REAUTHORIZATION_REQUIRED, read.orElseThrow()[1]);
    assertNull(read.orElseThrow()[2]);
    assertEquals(
        List.of("a"), f.ids("at = ?1 and status = ?2", at, GrantStatus.REAUTHORIZATION_REQUIRED));

    // a null and a flag where the broker's conditional updates put them
    int changed =
        f.db()
            .update(
                "Clearing",
                "update "
                    + f.table()
                    + " set at = ?2, status = case when ?3 then null else status end"
                    + " where id = ?1",
                "a",
                null,
                true);
    assertEquals(1, changed);
    assertEquals(List.of("a"), f.ids("at is null and status is null"));
    assertNull(
        f.db().value("Reading nothing", "select id from " + f.table() + " where id = ?1", "z"));
  }

  @ParameterizedTest
  @MethodSource("databases")
  void aFailingStatementSaysWhatFailedAndKeepsTheDatabasesReason(String kind) {
    Fixture f = fixture(kind);
    f.insert("a", null, null, null);
    DatabaseException duplicate =
        assertThrows(DatabaseException.class, () -> f.insert("a", null, null, null));
    assertEquals("Storing a failed", duplicate.getMessage());
    SQLException cause = assertInstanceOf(SQLException.class, duplicate.getCause());
    assertTrue(cause.getSQLState().startsWith("23"), cause.getSQLState());
    assertEquals(Optional.of(StoreFailures.Meaning.CONFLICT), StoreFailures.classify(duplicate));

    DatabaseException missing =
        assertThrows(
            DatabaseException.class,
            () -> f.db().update("Writing nowhere", "update no_such_table set n = ?1", 1));
    assertEquals(Optional.of(StoreFailures.Meaning.UNAVAILABLE), StoreFailures.classify(missing));
  }
}
