package io.tiercel.otlp.receiver;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * The path Go's {@code url.Parse} finds in a URL setting, which is what the collector keeps of its
 * otlp receiver's {@code *_url_path} settings (before adding a leading slash): the scheme, the
 * authority ({@code //host:port}), the query and the fragment are dropped and percent escapes are
 * decoded. What {@code url.Parse} refuses is refused with its reason.
 */
final class GoUrlPath {
  private GoUrlPath() {}

  /** A URL {@code url.Parse} refuses; the message is its reason. */
  static final class Unparsable extends Exception {
    private static final long serialVersionUID = 1L;

    Unparsable(String reason) {
      super(reason);
    }
  }

  /** The decoded path of {@code text}, empty for a URL without one (such as {@code mailto:x}). */
  static String path(String text) throws Unparsable {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c < 0x20 || c == 0x7f) {
        throw new Unparsable("invalid control character in URL");
      }
    }
    int hash = text.indexOf('#');
    String rest = hash >= 0 ? text.substring(0, hash) : text;
    boolean scheme = false;
    for (int i = 0; i < rest.length(); i++) {
      char c = rest.charAt(i);
      if (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z') {
        continue;
      }
      if (i > 0 && (c >= '0' && c <= '9' || c == '+' || c == '-' || c == '.')) {
        continue;
      }
      if (c == ':') {
        if (i == 0) {
          throw new Unparsable("missing protocol scheme");
        }
        scheme = true;
        rest = rest.substring(i + 1);
      }
      break;
    }
    if (rest.endsWith("?") && rest.indexOf('?') == rest.length() - 1) {
      rest = rest.substring(0, rest.length() - 1);
    } else if (rest.indexOf('?') >= 0) {
      rest = rest.substring(0, rest.indexOf('?'));
    }
    if (!rest.startsWith("/")) {
      if (scheme) {
        return ""; // an opaque URL has no path
      }
      int slash = rest.indexOf('/');
      if ((slash >= 0 ? rest.substring(0, slash) : rest).indexOf(':') >= 0) {
        throw new Unparsable("first path segment in URL cannot contain colon");
      }
    }
    if ((scheme || !rest.startsWith("///")) && rest.startsWith("//")) {
      int end = rest.indexOf('/', 2);
      String authority = end >= 0 ? rest.substring(2, end) : rest.substring(2);
      checkAuthority(authority);
      rest = end >= 0 ? rest.substring(end) : "";
    }
    return unescape(rest);
  }

  private static void checkAuthority(String authority) throws Unparsable {
    int at = authority.lastIndexOf('@');
    String host = at >= 0 ? authority.substring(at + 1) : authority;
    int colon = host.lastIndexOf(':');
    if (colon >= 0 && colon > host.lastIndexOf(']')) {
      String port = host.substring(colon);
      for (int i = 1; i < port.length(); i++) {
        if (port.charAt(i) < '0' || port.charAt(i) > '9') {
          throw new Unparsable("invalid port \"" + port + "\" after host");
        }
      }
    }
    unescape(authority);
  }

  private static String unescape(String s) throws Unparsable {
    if (s.indexOf('%') < 0) {
      return s;
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream(s.length());
    byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
    for (int i = 0; i < bytes.length; i++) {
      if (bytes[i] != '%') {
        out.write(bytes[i]);
        continue;
      }
      if (i + 2 >= bytes.length || hex(bytes[i + 1]) < 0 || hex(bytes[i + 2]) < 0) {
        throw new Unparsable("invalid URL escape");
      }
      out.write(hex(bytes[i + 1]) * 16 + hex(bytes[i + 2]));
      i += 2;
    }
    return out.toString(StandardCharsets.UTF_8);
  }

  private static int hex(byte c) {
    if (c >= '0' && c <= '9') {
      return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
      return c - 'a' + 10;
    }
    if (c >= 'A' && c <= 'F') {
      return c - 'A' + 10;
    }
    return -1;
  }
}
