package dev.tokenbroker.db;

import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.interceptor.Interceptor;
import java.sql.SQLException;
import javax.sql.DataSource;

/**
 * Refuses to start, before anything else needs the database, when the data source is not
 * configured: Quarkus leaves a data source without {@code quarkus.datasource.jdbc.url} inactive,
 * and the broker would otherwise start and fail each request. The first use of an inactive data
 * source throws Quarkus's own message, which names the setting. Nothing connects here: a database
 * that is down does not stop a start (readiness reports it).
 */
@ApplicationScoped
class DataSourceCheck {

  void check(
      @Observes @Priority(Interceptor.Priority.PLATFORM_BEFORE) StartupEvent start,
      DataSource dataSource)
      throws SQLException {
    dataSource.getLoginTimeout();
  }
}
