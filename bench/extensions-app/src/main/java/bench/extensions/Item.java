package bench.extensions;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;

@Entity
public class Item {
  @Id public String id;
  public String name;
}
