package dev.tokenbroker.outbound;

import jakarta.enterprise.context.ApplicationScoped;
import java.net.InetAddress;
import java.net.UnknownHostException;

/** Resolves host names for outbound connections: the JDK's resolver and its cache. */
@ApplicationScoped
public class HostResolver {

  public InetAddress[] resolve(String host) throws UnknownHostException {
    return InetAddress.getAllByName(host);
  }
}
