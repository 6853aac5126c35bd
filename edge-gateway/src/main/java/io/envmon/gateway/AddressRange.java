package io.envmon.gateway;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.regex.Pattern;

/**
 * An IP address or a CIDR block ({@code 127.0.0.1}, {@code 10.20.0.0/16}, {@code fd00::/8}): the
 * sources a device may send plain CoAP from ({@code device.{id}.coap.plain-from}). Only literals
 * are taken, never host names, so reading the credentials file never asks DNS.
 */
public record AddressRange(byte[] network, int prefixLength, String text) {

  private static final Pattern LITERAL = Pattern.compile("[0-9A-Fa-f:.]+");

  public AddressRange {
    network = network.clone();
  }

  /**
   * Parses {@code address} or {@code address/prefix}.
   *
   * @throws IllegalArgumentException naming what is wrong
   */
  public static AddressRange parse(String text) {
    String trimmed = text.trim();
    int slash = trimmed.indexOf('/');
    String address = slash < 0 ? trimmed : trimmed.substring(0, slash);
    if (address.isEmpty() || !LITERAL.matcher(address).matches()) {
      throw new IllegalArgumentException(
          "'" + trimmed + "' is not an IP address or CIDR block (e.g. 127.0.0.1, 10.0.0.0/24)");
    }
    byte[] bytes;
    try {
      bytes = InetAddress.getByName(address).getAddress(); // a literal: no DNS lookup
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("'" + trimmed + "' is not an IP address", e);
    }
    int bits = bytes.length * 8;
    int prefix = bits;
    if (slash >= 0) {
      try {
        prefix = Integer.parseInt(trimmed.substring(slash + 1));
      } catch (NumberFormatException e) {
        prefix = -1;
      }
      if (prefix < 0 || prefix > bits) {
        throw new IllegalArgumentException(
            "'" + trimmed + "' has a prefix length outside 0–" + bits);
      }
    }
    return new AddressRange(masked(bytes, prefix), prefix, trimmed);
  }

  /** Whether {@code address} lies in this range (an IPv4 address never matches an IPv6 range). */
  public boolean contains(InetAddress address) {
    byte[] bytes = address.getAddress();
    return bytes.length == network.length
        && java.util.Arrays.equals(masked(bytes, prefixLength), network);
  }

  private static byte[] masked(byte[] bytes, int prefix) {
    byte[] out = bytes.clone();
    for (int i = 0; i < out.length; i++) {
      int keep = Math.max(0, Math.min(8, prefix - i * 8));
      out[i] = (byte) (out[i] & (0xFF << (8 - keep)));
    }
    return out;
  }

  @Override
  public byte[] network() {
    return network.clone();
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof AddressRange that
        && prefixLength == that.prefixLength
        && java.util.Arrays.equals(network, that.network);
  }

  @Override
  public int hashCode() {
    return 31 * java.util.Arrays.hashCode(network) + prefixLength;
  }

  @Override
  public String toString() {
    return text;
  }
}
