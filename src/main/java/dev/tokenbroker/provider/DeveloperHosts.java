package dev.tokenbroker.provider;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Hosts that only exist on a developer's machine or network: localhost, loopback, private and
 * link-local address literals, and tunnel domains. Production regions of the badge platforms do not
 * accept redirect URIs on them ("localhost or developer machine tunnel domains are not permitted").
 * Only literals are judged: no name is resolved.
 */
final class DeveloperHosts {

  private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
  private static final List<String> TUNNEL_DOMAINS =
      List.of(
          "ngrok.io",
          "ngrok.app",
          "ngrok-free.app",
          "ngrok.dev",
          "loca.lt",
          "localtunnel.me",
          "trycloudflare.com",
          "localhost.run",
          "serveo.net");

  private DeveloperHosts() {}

  static boolean matches(String host) {
    String name = host.toLowerCase(Locale.ROOT);
    if (name.endsWith(".")) {
      name = name.substring(0, name.length() - 1);
    }
    if (name.equals("localhost") || name.endsWith(".localhost")) {
      return true;
    }
    for (String tunnel : TUNNEL_DOMAINS) {
      if (name.equals(tunnel) || name.endsWith("." + tunnel)) {
        return true;
      }
    }
    boolean ipv6 = name.startsWith("[") && name.endsWith("]");
    if (!ipv6 && !IPV4.matcher(name).matches()) {
      return false;
    }
    try {
      InetAddress address =
          InetAddress.getByName(ipv6 ? name.substring(1, name.length() - 1) : name);
      byte[] raw = address.getAddress();
      boolean uniqueLocalV6 = raw.length == 16 && (raw[0] & 0xfe) == 0xfc;
      return address.isLoopbackAddress()
          || address.isSiteLocalAddress()
          || address.isLinkLocalAddress()
          || address.isAnyLocalAddress()
          || uniqueLocalV6;
    } catch (UnknownHostException notALiteral) {
      return false;
    }
  }
}
