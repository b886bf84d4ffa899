package dev.tokenbroker.outbound;

import io.netty.handler.ipfilter.IpSubnetFilterRule;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The one rule every outbound call follows (DESIGN §6): https only, and never to a loopback,
 * private, link-local, shared, multicast or unspecified address, unless {@code
 * broker.outbound.allowed-hosts} names the host or its range. See docs/adr/0008.
 */
@ApplicationScoped
public class OutboundPolicy {

  static final String NOT_PUBLIC =
      "must not point at a loopback, private, link-local, shared, multicast or unspecified"
          + " address (broker.outbound.allowed-hosts lifts this for named hosts)";
  private static final String NOT_A_URL = "must be an absolute http(s) URL";
  private static final Pattern HOST_NAME =
      Pattern.compile("[a-z0-9_]([a-z0-9_-]*[a-z0-9_])?(\\.[a-z0-9_]([a-z0-9_-]*[a-z0-9_])?)*");
  private static final Pattern NUMERIC_LOOKING = Pattern.compile("[0-9.x]+|0x[0-9a-f.x]+");

  private final Set<String> allowedNames = new HashSet<>();
  private final List<IpSubnetFilterRule> allowedRanges = new ArrayList<>();

  public OutboundPolicy(OutboundConfig config) {
    for (String entry : config.allowedHosts().orElse(List.of())) {
      String value = entry.strip().toLowerCase(Locale.ROOT);
      if (value.isEmpty()) {
        continue;
      }
      Optional<IpSubnetFilterRule> range = AddressRanges.parseRange(value);
      if (range.isPresent()) {
        allowedRanges.add(range.get());
      } else if (HOST_NAME.matcher(value).matches() && !NUMERIC_LOOKING.matcher(value).matches()) {
        allowedNames.add(value);
      } else {
        throw new IllegalStateException(
            "broker.outbound.allowed-hosts: '"
                + entry
                + "' is no host name, address or CIDR range");
      }
    }
  }

  /**
   * Why an outbound call may not go to {@code url}, or empty when it may: an absolute {@code https}
   * URL without user info or fragment, whose host is no address outside the public internet. Hosts
   * in {@code broker.outbound.allowed-hosts} may be anything and use {@code http}. A name is not
   * resolved here; each connection checks what it resolves to.
   */
  public Optional<String> urlProblem(String url) {
    return parse(url).map(this::urlProblem).orElse(Optional.of(NOT_A_URL));
  }

  /** {@link #urlProblem(String)} of a URL that {@link #parse} gave. */
  public Optional<String> urlProblem(URI uri) {
    Optional<String> malformed = shapeProblem(uri);
    if (malformed.isPresent()) {
      return malformed;
    }
    String host = normalisedHost(uri.getHost());
    Optional<InetAddress> literal = AddressRanges.literal(host);
    if (literal.isPresent() ? inAllowedRange(literal.get()) : allowedNames.contains(host)) {
      return Optional.empty();
    }
    if (!"https".equals(uri.getScheme().toLowerCase(Locale.ROOT))) {
      return Optional.of("must use https (http only for hosts in broker.outbound.allowed-hosts)");
    }
    if (literal.isPresent()) {
      return AddressRanges.isPublic(literal.get()) ? Optional.empty() : Optional.of(NOT_PUBLIC);
    }
    if (host.equals("localhost") || host.endsWith(".localhost")) {
      return Optional.of(NOT_PUBLIC);
    }
    if (!HOST_NAME.matcher(host).matches() || NUMERIC_LOOKING.matcher(host).matches()) {
      return Optional.of("must name a host or give a canonical IP address");
    }
    return Optional.empty();
  }

  /** Whether a connection for {@code host} may go to {@code address}, one of its resolutions. */
  public boolean mayConnect(String host, InetAddress address) {
    return allowedNames.contains(normalisedHost(host))
        || inAllowedRange(address)
        || AddressRanges.isPublic(address);
  }

  private boolean inAllowedRange(InetAddress address) {
    InetSocketAddress socket = new InetSocketAddress(address, 0);
    return allowedRanges.stream().anyMatch(r -> r.matches(socket));
  }

  private static String normalisedHost(String host) {
    String h = host.toLowerCase(Locale.ROOT);
    return h.endsWith(".") ? h.substring(0, h.length() - 1) : h;
  }

  /**
   * Why {@code value} is not even shaped like an endpoint URL, or empty: absolute http(s) with a
   * host, no user info or fragment.
   */
  public static Optional<String> syntaxProblem(String value) {
    return parse(value).map(OutboundPolicy::shapeProblem).orElse(Optional.of(NOT_A_URL));
  }

  private static Optional<String> shapeProblem(URI uri) {
    if (uri.getRawUserInfo() != null || uri.getRawFragment() != null) {
      return Optional.of("must not contain user info or a fragment");
    }
    return Optional.empty();
  }

  /** An absolute http(s) URL with a host, at most 2,048 characters; empty otherwise. */
  public static Optional<URI> parse(String value) {
    if (value == null || value.isBlank() || value.length() > 2048) {
      return Optional.empty();
    }
    try {
      URI uri = new URI(value);
      String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
      if (!uri.isAbsolute()
          || !(scheme.equals("https") || scheme.equals("http"))
          || uri.getHost() == null
          || uri.getHost().isBlank()) {
        return Optional.empty();
      }
      return Optional.of(uri);
    } catch (URISyntaxException e) {
      return Optional.empty();
    }
  }
}
