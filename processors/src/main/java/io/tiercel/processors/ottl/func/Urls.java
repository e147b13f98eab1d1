package io.tiercel.processors.ottl.func;

import io.tiercel.processors.ottl.eval.OttlRuntimeException;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** URL parsing as Go's net/url reads a URL, mapped to the semantic-convention url.* keys. */
final class Urls {
  private static final Pattern SCHEME =
      Pattern.compile("^([A-Za-z][A-Za-z0-9+.-]*):(.*)$", Pattern.DOTALL);

  private Urls() {}

  /** The url.* attributes of {@code s}: original, scheme, domain and path always, others if set. */
  static Map<String, Object> semconv(String s) {
    String rest = s;
    String fragment = "";
    int hash = rest.indexOf('#');
    if (hash >= 0) {
      fragment = unescape(rest.substring(hash + 1));
      rest = rest.substring(0, hash);
    }
    String scheme = "";
    Matcher m = SCHEME.matcher(rest);
    if (m.matches()) {
      scheme = m.group(1).toLowerCase(Locale.ROOT);
      rest = m.group(2);
    } else if (rest.startsWith(":")) {
      throw new OttlRuntimeException("parse \"" + s + "\": missing protocol scheme");
    }
    String query = "";
    int q = rest.indexOf('?');
    if (q >= 0) {
      query = rest.substring(q + 1);
      rest = rest.substring(0, q);
    }
    String userInfo = null;
    String host = "";
    String port = "";
    String path;
    if (rest.startsWith("//")) {
      int slash = rest.indexOf('/', 2);
      String authority = slash < 0 ? rest.substring(2) : rest.substring(2, slash);
      path = slash < 0 ? "" : rest.substring(slash);
      int at = authority.lastIndexOf('@');
      if (at >= 0) {
        userInfo = authority.substring(0, at);
        authority = authority.substring(at + 1);
      }
      String hostPort = authority;
      if (hostPort.startsWith("[")) {
        int close = hostPort.indexOf(']');
        if (close < 0) {
          throw new OttlRuntimeException("parse \"" + s + "\": missing ']' in host");
        }
        host = hostPort.substring(1, close);
        String after = hostPort.substring(close + 1);
        if (after.startsWith(":")) {
          port = after.substring(1);
        } else if (!after.isEmpty()) {
          throw new OttlRuntimeException(
              "parse \"" + s + "\": invalid port \"" + after + "\" after host");
        }
      } else {
        int colon = hostPort.lastIndexOf(':');
        host = colon < 0 ? hostPort : hostPort.substring(0, colon);
        port = colon < 0 ? "" : hostPort.substring(colon + 1);
      }
      if (!port.chars().allMatch(Character::isDigit)) {
        throw new OttlRuntimeException(
            "parse \"" + s + "\": invalid port \":" + port + "\" after host");
      }
    } else if (!scheme.isEmpty() && !rest.startsWith("/")) {
      path = ""; // an opaque URL such as mailto:someone
    } else {
      path = rest;
    }
    path = unescape(path);
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("url.original", s);
    out.put("url.domain", host);
    out.put("url.scheme", scheme);
    out.put("url.path", path);
    if (!port.isEmpty()) {
      out.put("url.port", Long.parseLong(port));
    }
    if (!fragment.isEmpty()) {
      out.put("url.fragment", fragment);
    }
    if (userInfo != null) {
      out.put("url.user_info", userInfo);
      int colon = userInfo.indexOf(':');
      String user = unescape(colon < 0 ? userInfo : userInfo.substring(0, colon));
      if (!user.isEmpty()) {
        out.put("url.username", user);
      }
      if (colon >= 0) {
        out.put("url.password", unescape(userInfo.substring(colon + 1)));
      }
    }
    if (!query.isEmpty()) {
      out.put("url.query", query);
    }
    int dot = path.lastIndexOf('.');
    if (dot >= 0 && dot < path.length() - 1) {
      out.put("url.extension", path.substring(dot + 1));
    }
    return out;
  }

  /** Percent-decoding (a {@code +} stays a plus). */
  private static String unescape(String s) {
    if (s.indexOf('%') < 0) {
      return s;
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '%') {
        if (i + 2 >= s.length()
            || Character.digit(s.charAt(i + 1), 16) < 0
            || Character.digit(s.charAt(i + 2), 16) < 0) {
          String bad = s.substring(i, Math.min(i + 3, s.length()));
          throw new OttlRuntimeException("invalid URL escape \"" + bad + "\"");
        }
        out.write(Integer.parseInt(s.substring(i + 1, i + 3), 16));
        i += 2;
      } else {
        out.writeBytes(String.valueOf(c).getBytes(StandardCharsets.UTF_8));
      }
    }
    return out.toString(StandardCharsets.UTF_8);
  }
}
