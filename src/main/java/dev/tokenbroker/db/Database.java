package dev.tokenbroker.db;

import com.github.benmanes.caffeine.cache.Caffeine;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.sql.DataSource;

/**
 * SQL statements on the application's data source, in the caller's JTA transaction when there is
 * one (the pool hands every statement of a transaction its one connection) and in autocommit
 * otherwise. Parameters are numbered as {@code ?1}, {@code ?2}, each usable more than once; a
 * {@link Collection} parameter expands to a list for {@code in (?1)}. An {@link Instant} is bound
 * as a UTC timestamp, an enum as its name. A failing statement throws {@link DatabaseException}
 * naming what failed, with the driver's exception as its cause. Each public method runs one
 * statement.
 */
@ApplicationScoped
public class Database {

  private static final Pattern NUMBERED = Pattern.compile("\\?(\\d+)");

  private final DataSource dataSource;
  private final ConcurrentMap<String, Statement> parsed =
      Caffeine.newBuilder().maximumSize(1_000).<String, Statement>build().asMap();

  public Database(DataSource dataSource) {
    this.dataSource = dataSource;
  }

  /** Reads one row of a result. */
  @FunctionalInterface
  public interface Row<T> {
    T read(ResultSet row) throws SQLException;
  }

  /** Runs an INSERT, UPDATE or DELETE; returns the rows it changed. */
  public int update(String what, String sql, Object... parameters) {
    return run(what, sql, parameters, PreparedStatement::executeUpdate);
  }

  /** Every row of a query, each read by {@code row}. */
  public <T> List<T> list(String what, String sql, Row<T> row, Object... parameters) {
    return run(what, sql, parameters, statement -> all(statement, row));
  }

  /** The first row of a query, if any. */
  public <T> Optional<T> first(String what, String sql, Row<T> row, Object... parameters) {
    return run(what, sql, parameters, statement -> first(statement, row));
  }

  /** Every row of a query as its column values (timestamps as the driver returns them). */
  public List<Object[]> rows(String what, String sql, Object... parameters) {
    return run(what, sql, parameters, statement -> all(statement, Database::values));
  }

  /** A query's one value, such as a count; null when it has no row. */
  public Object value(String what, String sql, Object... parameters) {
    return run(what, sql, parameters, statement -> first(statement, row -> row.getObject(1)))
        .orElse(null);
  }

  /**
   * For a statement built piece by piece: adds {@code value} to {@code parameters} and returns its
   * marker ({@code ?n}).
   */
  public static String parameter(List<Object> parameters, Object value) {
    parameters.add(value);
    return "?" + parameters.size();
  }

  public static Instant instant(ResultSet row, String column) throws SQLException {
    OffsetDateTime value = row.getObject(column, OffsetDateTime.class);
    return value == null ? null : value.toInstant();
  }

  public static Long nullableLong(ResultSet row, String column) throws SQLException {
    long value = row.getLong(column);
    return row.wasNull() ? null : value;
  }

  public static Integer nullableInt(ResultSet row, String column) throws SQLException {
    int value = row.getInt(column);
    return row.wasNull() ? null : value;
  }

  public static <E extends Enum<E>> E enumValue(ResultSet row, String column, Class<E> type)
      throws SQLException {
    String value = row.getString(column);
    return value == null ? null : Enum.valueOf(type, value);
  }

  private static <T> List<T> all(PreparedStatement statement, Row<T> row) throws SQLException {
    try (ResultSet rows = statement.executeQuery()) {
      List<T> all = new ArrayList<>();
      while (rows.next()) {
        all.add(row.read(rows));
      }
      return all;
    }
  }

  private static <T> Optional<T> first(PreparedStatement statement, Row<T> row)
      throws SQLException {
    statement.setMaxRows(1);
    try (ResultSet rows = statement.executeQuery()) {
      return rows.next() ? Optional.ofNullable(row.read(rows)) : Optional.empty();
    }
  }

  private static Object[] values(ResultSet row) throws SQLException {
    Object[] values = new Object[row.getMetaData().getColumnCount()];
    for (int i = 0; i < values.length; i++) {
      values[i] = row.getObject(i + 1);
    }
    return values;
  }

  @FunctionalInterface
  private interface Execution<T> {
    T execute(PreparedStatement statement) throws SQLException;
  }

  private <T> T run(String what, String sql, Object[] parameters, Execution<T> execution) {
    Statement statement = statement(sql, parameters);
    try (Connection connection = dataSource.getConnection();
        PreparedStatement prepared = connection.prepareStatement(statement.sql())) {
      int index = 1;
      for (int number : statement.order()) {
        Object value = parameters[number - 1];
        if (value instanceof Collection<?> values) {
          for (Object each : values) {
            bind(prepared, index++, each);
          }
        } else {
          bind(prepared, index++, value);
        }
      }
      return execution.execute(prepared);
    } catch (SQLException e) {
      throw new DatabaseException(what + " failed", e);
    }
  }

  private static void bind(PreparedStatement statement, int index, Object value)
      throws SQLException {
    if (value == null) {
      statement.setNull(index, Types.NULL);
    } else if (value instanceof Instant instant) {
      statement.setObject(index, OffsetDateTime.ofInstant(instant, ZoneOffset.UTC));
    } else if (value instanceof Enum<?> constant) {
      statement.setString(index, constant.name());
    } else {
      statement.setObject(index, value);
    }
  }

  private Statement statement(String sql, Object[] parameters) {
    for (Object parameter : parameters) {
      if (parameter instanceof Collection<?>) {
        return parse(sql, parameters);
      }
    }
    return parsed.computeIfAbsent(sql, numbered -> parse(numbered, parameters));
  }

  /** The statement with plain {@code ?} markers, and which parameter each marker takes. */
  private static Statement parse(String sql, Object[] parameters) {
    Matcher marker = NUMBERED.matcher(sql);
    StringBuilder plain = new StringBuilder();
    List<Integer> order = new ArrayList<>();
    while (marker.find()) {
      int number = Integer.parseInt(marker.group(1));
      if (number < 1 || number > parameters.length) {
        throw new IllegalArgumentException("No parameter " + number + " for: " + sql);
      }
      order.add(number);
      String markers =
          parameters[number - 1] instanceof Collection<?> values
              ? String.join(", ", Collections.nCopies(requireSome(values, sql), "?"))
              : "?";
      marker.appendReplacement(plain, Matcher.quoteReplacement(markers));
    }
    marker.appendTail(plain);
    return new Statement(plain.toString(), order.stream().mapToInt(Integer::intValue).toArray());
  }

  private static int requireSome(Collection<?> values, String sql) {
    if (values.isEmpty()) {
      throw new IllegalArgumentException("An empty list for: " + sql);
    }
    return values.size();
  }

  private record Statement(String sql, int[] order) {}
}
