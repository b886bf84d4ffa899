package bench.extensions;

import jakarta.transaction.Transactional;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.QueryParam;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

@Path("/items")
public class Items {
  private final DataSource dataSource;

  Items(DataSource dataSource) {
    this.dataSource = dataSource;
  }

  @GET
  @Transactional
  public List<String> items(@QueryParam("name") @Size(max = 64) String name) throws SQLException {
    try (Connection connection = dataSource.getConnection();
        ResultSet rows = connection.createStatement().executeQuery("select name from item")) {
      List<String> names = new ArrayList<>();
      while (rows.next()) {
        names.add(rows.getString(1));
      }
      return names;
    }
  }
}
