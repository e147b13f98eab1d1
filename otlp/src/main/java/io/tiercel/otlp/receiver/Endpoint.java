package io.tiercel.otlp.receiver;

import java.net.InetSocketAddress;

/**
 * Parses {@code host:port}, {@code [v6]:port} and {@code :port} (every interface) listen addresses.
 */
final class Endpoint {
  private Endpoint() {}

  /**
   * The unresolved socket address of {@code endpoint}; an empty host means every interface.
   *
   * @throws IllegalArgumentException naming what is wrong
   */
  static InetSocketAddress parse(String endpoint) {
    String s = endpoint.strip();
    int colon = s.lastIndexOf(':');
    if (colon < 0) {
      throw new IllegalArgumentException("\"" + endpoint + "\" must be host:port");
    }
    String host = s.substring(0, colon);
    String port = s.substring(colon + 1);
    if (host.startsWith("[")) {
      if (!host.endsWith("]")) {
        throw new IllegalArgumentException(
            "\"" + endpoint + "\": an IPv6 host must be enclosed in [ ]");
      }
      host = host.substring(1, host.length() - 1);
    } else if (host.contains(":")) {
      throw new IllegalArgumentException(
          "\"" + endpoint + "\": an IPv6 host must be enclosed in [ ]");
    }
    int p;
    try {
      p = Integer.parseInt(port);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "\"" + endpoint + "\": port \"" + port + "\" is not a number");
    }
    if (p < 0 || p > 65535) {
      throw new IllegalArgumentException(
          "\"" + endpoint + "\": port " + p + " is out of range 0-65535");
    }
    return host.isEmpty() ? new InetSocketAddress(p) : InetSocketAddress.createUnresolved(host, p);
  }

  /** Resolves the host (at start, not at config time). */
  static InetSocketAddress resolve(String endpoint) {
    InetSocketAddress a = parse(endpoint);
    return a.isUnresolved() ? new InetSocketAddress(a.getHostString(), a.getPort()) : a;
  }
}
