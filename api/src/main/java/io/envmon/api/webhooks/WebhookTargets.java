package io.envmon.api.webhooks;

import jakarta.inject.Singleton;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Optional;

/**
 * Where webhooks may point: not at envmon's own network. A URL whose host resolves to a loopback,
 * link-local, private (RFC 1918, RFC 6598 shared, IPv6 unique-local), unspecified, multicast or
 * reserved address is refused, when it is registered and again before every delivery (a name may
 * resolve elsewhere later); redirects are never followed. {@code envmon.webhooks.allowed-targets}
 * lists the addresses or networks ({@code 10.8.0.0/16}, {@code 127.0.0.1}) a deployment allows on
 * purpose, e.g. an internal alarm system.
 */
@Singleton
public class WebhookTargets {

  private final List<Network> allowed;

  /** An address prefix: {@code 10.8.0.0/16}, or one address. */
  record Network(byte[] prefix, int bits) {

    static Network parse(String text) {
      String[] parts = text.trim().split("/", 2);
      try {
        byte[] address = InetAddress.getByName(literal(parts[0])).getAddress();
        int bits = parts.length == 2 ? Integer.parseInt(parts[1]) : address.length * 8;
        if (bits < 0 || bits > address.length * 8) {
          throw new IllegalArgumentException("prefix length " + bits + " out of range");
        }
        return new Network(address, bits);
      } catch (UnknownHostException | IllegalArgumentException e) {
        throw new IllegalArgumentException(
            "envmon.webhooks.allowed-targets: '"
                + text
                + "' is not an IP address or network (e.g. 10.8.0.0/16 or 127.0.0.1)",
            e);
      }
    }

    /** Only literals: a host name here would make the allow-list depend on DNS. */
    private static String literal(String text) throws UnknownHostException {
      if (!text.matches("[0-9.]+|[0-9a-fA-F:]*:[0-9a-fA-F:.]*")) {
        throw new UnknownHostException(text);
      }
      return text;
    }

    boolean contains(InetAddress address) {
      byte[] bytes = address.getAddress();
      if (bytes.length != prefix.length) {
        return false;
      }
      for (int bit = 0; bit < bits; bit++) {
        int mask = 0x80 >>> (bit % 8);
        if ((bytes[bit / 8] & mask) != (prefix[bit / 8] & mask)) {
          return false;
        }
      }
      return true;
    }
  }

  private static final List<Network> INTERNAL_IPV4 =
      List.of(
          Network.parse("0.0.0.0/8"), // "this network"
          Network.parse("100.64.0.0/10"), // RFC 6598 shared address space (carrier NAT)
          Network.parse("192.0.0.0/24"), // IETF protocol assignments
          Network.parse("198.18.0.0/15"), // benchmarking
          Network.parse("240.0.0.0/4")); // reserved, and the broadcast address

  private static final List<Network> INTERNAL_IPV6 =
      List.of(
          Network.parse("fc00::/7"), // unique local
          Network.parse("64:ff9b::/96")); // NAT64: an IPv4 address behind it could be internal

  public WebhookTargets(WebhooksConfiguration configuration) {
    this.allowed = configuration.allowedTargets().stream().map(Network::parse).toList();
  }

  /**
   * Why a webhook may not call {@code uri}, or empty when it may. Resolves the host name
   * (blocking).
   */
  public Optional<String> refusal(URI uri) {
    String host = uri.getHost();
    if (host == null) {
      return Optional.of("the URL has no host");
    }
    InetAddress[] addresses;
    try {
      addresses = InetAddress.getAllByName(host);
    } catch (UnknownHostException e) {
      return Optional.of("the host " + host + " cannot be resolved");
    }
    for (InetAddress address : addresses) {
      String kind = internalKind(address);
      if (kind != null && allowed.stream().noneMatch(n -> n.contains(address))) {
        return Optional.of(
            host
                + " resolves to "
                + address.getHostAddress()
                + ", a "
                + kind
                + " address: webhooks may not call internal addresses (a deployment can allow"
                + " one in envmon.webhooks.allowed-targets)");
      }
    }
    return Optional.empty();
  }

  /** What kind of internal address this is, or null for a public one. */
  static String internalKind(InetAddress address) {
    if (address.isLoopbackAddress()) {
      return "loopback";
    }
    if (address.isAnyLocalAddress()) {
      return "unspecified";
    }
    if (address.isLinkLocalAddress()) {
      return "link-local";
    }
    if (address.isSiteLocalAddress()) {
      return "private";
    }
    if (address.isMulticastAddress()) {
      return "multicast";
    }
    List<Network> reserved = address instanceof Inet4Address ? INTERNAL_IPV4 : INTERNAL_IPV6;
    if (address instanceof Inet6Address || address instanceof Inet4Address) {
      for (Network network : reserved) {
        if (network.contains(address)) {
          return "private or reserved";
        }
      }
    }
    return null;
  }
}
