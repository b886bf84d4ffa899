package dev.tokenbroker.outbound;

import io.smallrye.config.ConfigMapping;
import java.util.List;
import java.util.Optional;

/** Where the broker may send requests beyond the public internet (DESIGN §6). */
@ConfigMapping(prefix = "broker.outbound")
public interface OutboundConfig {

  /**
   * Host names, IP addresses or CIDR ranges (comma-separated) that outbound calls may reach
   * although they are loopback, private, link-local or shared, over plain {@code http} too: an
   * on-premises provider, or the simulators of the dev and test profiles.
   */
  Optional<List<String>> allowedHosts();
}
