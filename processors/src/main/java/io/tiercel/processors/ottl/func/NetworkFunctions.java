package io.tiercel.processors.ottl.func;

import static io.tiercel.processors.ottl.func.Args.lng;
import static io.tiercel.processors.ottl.func.Args.str;
import static io.tiercel.processors.ottl.func.Param.optional;
import static io.tiercel.processors.ottl.func.Param.required;

import io.tiercel.processors.ottl.eval.Getter;
import io.tiercel.processors.ottl.eval.OttlRuntimeException;
import io.tiercel.processors.ottl.eval.Values;
import io.tiercel.processors.ottl.grammar.CompileError;
import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** The network converters: IsInCIDR and CommunityID. */
final class NetworkFunctions {
  /** Community ID protocol numbers by the names the collector accepts. */
  private static final Map<String, Integer> PROTOCOLS =
      Map.of("ICMP", 1, "TCP", 6, "UDP", 17, "RSVP", 46, "ICMP6", 58, "SCTP", 132);

  private NetworkFunctions() {}

  /** A CIDR network: its address bytes (4 or 16) and prefix length. */
  record Cidr(byte[] address, int bits) {
    boolean contains(byte[] ip) {
      if (ip.length != address.length) {
        return false;
      }
      for (int i = 0; i < bits; i++) {
        int mask = 0x80 >>> (i % 8);
        if ((ip[i / 8] & mask) != (address[i / 8] & mask)) {
          return false;
        }
      }
      return true;
    }
  }

  static void register(FunctionRegistry.Builder registry) {
    registry.converter(
        "IsInCIDR",
        (a, cols, col) -> {
          Getter t = (Getter) a[0];
          if (a[1] instanceof List<?> literals) {
            List<Cidr> nets = new ArrayList<>();
            for (Object n : literals) {
              Cidr cidr = cidr((String) n);
              if (cidr == null) {
                throw new CompileError(cols[1], "invalid CIDR address: " + n);
              }
              nets.add(cidr);
            }
            return c -> {
              byte[] ip = ip(str(t.get(c), "IsInCIDR"));
              return ip != null && nets.stream().anyMatch(n -> n.contains(ip));
            };
          }
          Getter networks = (Getter) a[1];
          return c -> {
            byte[] ip = ip(str(t.get(c), "IsInCIDR"));
            if (ip == null) {
              return false;
            }
            Object l = networks.get(c);
            if (l == null) {
              throw new OttlRuntimeException("IsInCIDR: networks cannot be nil");
            }
            if (!(l instanceof List<?> list)) {
              throw new OttlRuntimeException(
                  "IsInCIDR: expected a slice of networks but got " + Values.typeName(l));
            }
            for (Object n : list) {
              String s = str(n, "IsInCIDR");
              Cidr cidr = cidr(s);
              if (cidr == null) {
                throw new OttlRuntimeException("invalid CIDR address: " + s);
              }
              if (cidr.contains(ip)) {
                return true;
              }
            }
            return false;
          };
        },
        required("target", ParamKind.ANY),
        required("networks", ParamKind.STRINGS));
    registry.converter(
        "CommunityID",
        (a, cols, col) -> {
          Getter srcIp = (Getter) a[0];
          Getter srcPort = (Getter) a[1];
          Getter dstIp = (Getter) a[2];
          Getter dstPort = (Getter) a[3];
          Getter protocol = (Getter) a[4];
          Getter seed = (Getter) a[5];
          return c ->
              communityId(
                  str(srcIp.get(c), "CommunityID"),
                  lng(srcPort.get(c), "CommunityID"),
                  str(dstIp.get(c), "CommunityID"),
                  lng(dstPort.get(c), "CommunityID"),
                  protocol == null ? "TCP" : str(protocol.get(c), "CommunityID"),
                  seed == null ? 0 : lng(seed.get(c), "CommunityID"));
        },
        required("sourceIP", ParamKind.ANY),
        required("sourcePort", ParamKind.ANY),
        required("destinationIP", ParamKind.ANY),
        required("destinationPort", ParamKind.ANY),
        optional("protocol", ParamKind.ANY),
        optional("seed", ParamKind.ANY));
  }

  /**
   * The Community ID v1 flow hash (corelight's community-id-spec): "1:" and the base64 SHA-1 of
   * seed, the ordered addresses, protocol, a zero byte and the ordered ports.
   */
  static String communityId(
      String srcIp, long srcPort, String dstIp, long dstPort, String protocol, long seed) {
    if (srcPort < 1 || srcPort > 65535) {
      throw new OttlRuntimeException("source port must be between 1 and 65535, got " + srcPort);
    }
    if (dstPort < 1 || dstPort > 65535) {
      throw new OttlRuntimeException(
          "destination port must be between 1 and 65535, got " + dstPort);
    }
    Integer proto = PROTOCOLS.get(protocol);
    if (proto == null) {
      throw new OttlRuntimeException("unsupported protocol: " + protocol);
    }
    byte[] src = ip(srcIp);
    if (src == null) {
      throw new OttlRuntimeException("invalid source IP: " + srcIp);
    }
    byte[] dst = ip(dstIp);
    if (dst == null) {
      throw new OttlRuntimeException("invalid destination IP: " + dstIp);
    }
    if (seed < 0 || seed > 65535) {
      throw new OttlRuntimeException("seed must be between 0 and 65535, got " + seed);
    }
    int cmp = Arrays.compareUnsigned(src, dst);
    boolean swap =
        src.length != dst.length
            ? src.length > dst.length
            : cmp > 0 || cmp == 0 && srcPort > dstPort;
    if (swap) {
      byte[] ip = src;
      src = dst;
      dst = ip;
      long port = srcPort;
      srcPort = dstPort;
      dstPort = port;
    }
    ByteArrayOutputStream tuple = new ByteArrayOutputStream();
    short16(tuple, seed);
    tuple.writeBytes(src);
    tuple.writeBytes(dst);
    tuple.write(proto);
    tuple.write(0);
    short16(tuple, srcPort);
    short16(tuple, dstPort);
    try {
      byte[] sha1 = MessageDigest.getInstance("SHA-1").digest(tuple.toByteArray());
      return "1:" + Base64.getEncoder().encodeToString(sha1);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void short16(ByteArrayOutputStream out, long v) {
    out.write((int) (v >>> 8) & 0xff);
    out.write((int) v & 0xff);
  }

  /**
   * The bytes of an IP address literal as Go's net.ParseIP reads it (IPv4 and IPv4-mapped IPv6 as 4
   * bytes, other IPv6 as 16), or null; never a name lookup.
   */
  static byte @Nullable [] ip(String s) {
    if (s.indexOf(':') < 0) {
      return ipv4(s);
    }
    if (!s.matches("[0-9A-Fa-f:.]+")) {
      return null;
    }
    try {
      // a literal with ':' is parsed as IPv6, never looked up; IPv4-mapped ones come back as IPv4
      return InetAddress.getByName(s).getAddress();
    } catch (UnknownHostException e) {
      return null;
    }
  }

  private static byte @Nullable [] ipv4(String s) {
    String[] parts = s.split("\\.", -1);
    if (parts.length != 4) {
      return null;
    }
    byte[] out = new byte[4];
    for (int i = 0; i < 4; i++) {
      String p = parts[i];
      if (p.isEmpty() || p.length() > 3 || !p.chars().allMatch(Character::isDigit)) {
        return null;
      }
      if (p.length() > 1 && p.charAt(0) == '0') {
        return null;
      }
      int v = Integer.parseInt(p);
      if (v > 255) {
        return null;
      }
      out[i] = (byte) v;
    }
    return out;
  }

  /** A network in CIDR notation ({@code 10.0.0.0/8}, {@code 2001:db8::/32}), or null. */
  static @Nullable Cidr cidr(String s) {
    int slash = s.indexOf('/');
    if (slash < 0) {
      return null;
    }
    String addr = s.substring(0, slash);
    String bits = s.substring(slash + 1);
    byte[] ip = ip(addr);
    if (ip == null
        || bits.isEmpty()
        || bits.length() > 3
        || !bits.chars().allMatch(Character::isDigit)) {
      return null;
    }
    int n = Integer.parseInt(bits);
    boolean v6Text = addr.indexOf(':') >= 0;
    int max = v6Text ? 128 : 32;
    if (n > max) {
      return null;
    }
    if (v6Text && ip.length == 4) {
      // an IPv4-mapped IPv6 network: its prefix counts the 96 mapping bits
      if (n < 96) {
        return null;
      }
      n -= 96;
    }
    return new Cidr(ip, n);
  }
}
