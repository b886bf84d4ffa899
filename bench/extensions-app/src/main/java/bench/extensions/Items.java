package bench.extensions;

import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.QueryParam;
import java.util.List;

@Path("/items")
public class Items {
  private final EntityManager entities;

  Items(EntityManager entities) {
    this.entities = entities;
  }

  @GET
  @Transactional
  public List<Item> items(@QueryParam("name") @Size(max = 64) String name) {
    return entities.createNativeQuery("select * from item", Item.class).getResultList();
  }
}
