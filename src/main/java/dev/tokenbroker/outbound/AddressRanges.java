package dev.tokenbroker.outbound;

import io.netty.handler.ipfilter.IpFilterRuleType;
import io.netty.handler.ipfilter.IpSubnetFilterRule;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/** The address ranges that outbound calls must not reach unless an operator allows them. */
final class AddressRanges {

  private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
  private static final Pattern IPV6 = Pattern.compile("[0-9a-fA-F:.]*:[0-9a-fA-F:.]*");

  /**
   * RFC 6890 special-purpose blocks a provider on the internet never has: this network, RFC 1918,
   * shared (RFC 6598), IETF assignments, benchmarking, reserved, unique local (RFC 4193), NAT64 and
   * the documentation and discard prefixes that no server answers at.
   */
  private static final List<IpSubnetFilterRule> NOT_PUBLIC =
      List.of(
          range("0.0.0.0", 8),
          range("10.0.0.0", 8),
          range("100.64.0.0", 10),
          range("172.16.0.0", 12),
          range("192.0.0.0", 24),
          range("192.168.0.0", 16),
          range("198.18.0.0", 15),
          range("240.0.0.0", 4),
          range("fc00::", 7),
          range("64:ff9b::", 96),
          range("64:ff9b:1::", 48),
          range("100::", 64));

  private AddressRanges() {}

  /**
   * Whether an address is one that outbound calls may reach by default: not loopback, private,
   * link-local, shared, multicast, unspecified or otherwise reserved.
   */
  static boolean isPublic(InetAddress address) {
    if (address.isLoopbackAddress()
        || address.isAnyLocalAddress()
        || address.isLinkLocalAddress()
        || address.isSiteLocalAddress()
        || address.isMulticastAddress()) {
      return false;
    }
    byte[] raw = address.getAddress();
    if (raw.length == 4 && (raw[0] & 0xff) == 255) {
      return false;
    }
    InetSocketAddress socket = new InetSocketAddress(address, 0);
    return NOT_PUBLIC.stream().noneMatch(r -> r.matches(socket));
  }

  /** An IP address literal ({@code 10.0.0.5}, {@code ::1}, {@code [::1]}), without any lookup. */
  static Optional<InetAddress> literal(String host) {
    String h =
        host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    if (!IPV4.matcher(h).matches() && !IPV6.matcher(h).matches()) {
      return Optional.empty();
    }
    try {
      return Optional.of(InetAddress.getByName(h));
    } catch (UnknownHostException notALiteral) {
      return Optional.empty();
    }
  }

  /** A CIDR range ({@code 10.1.0.0/16}) or a single address; empty when it is neither. */
  static Optional<IpSubnetFilterRule> parseRange(String value) {
    int slash = value.indexOf('/');
    Optional<InetAddress> address = literal(slash < 0 ? value : value.substring(0, slash));
    if (address.isEmpty()) {
      return Optional.empty();
    }
    int bits = address.get().getAddress().length * 8;
    int prefix = bits;
    if (slash >= 0) {
      try {
        prefix = Integer.parseInt(value.substring(slash + 1));
      } catch (NumberFormatException e) {
        return Optional.empty();
      }
      if (prefix < 0 || prefix > bits) {
        return Optional.empty();
      }
    }
    return Optional.of(new IpSubnetFilterRule(address.get(), prefix, IpFilterRuleType.ACCEPT));
  }

  private static IpSubnetFilterRule range(String address, int prefix) {
    return new IpSubnetFilterRule(address, prefix, IpFilterRuleType.ACCEPT);
  }
}
