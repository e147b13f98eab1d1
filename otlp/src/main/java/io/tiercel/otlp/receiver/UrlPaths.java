package io.tiercel.otlp.receiver;

import io.tiercel.core.config.InvalidValueException;
import java.util.Optional;
import java.util.regex.Pattern;

/** The check of the HTTP server's URL path settings, as the collector parses them. */
final class UrlPaths {
  private UrlPaths() {}

  private static final Pattern PATH = Pattern.compile("^/[^\\s?#]*$");

  static String check(String key, String path, String dflt) {
    if (path == null || path.isEmpty()) {
      return dflt;
    }
    Optional<String> unparsable = goUrlParseError(path);
    if (unparsable.isPresent()) {
      throw new InvalidValueException(
          key, "\"" + path + "\" is not a valid URL path (" + unparsable.get() + ")");
    }
    String p = path.startsWith("/") ? path : "/" + path;
    if (!PATH.matcher(p).matches()) {
      throw new InvalidValueException(key, "\"" + path + "\" is not a valid URL path");
    }
    return p;
  }

  /**
   * Why Go's {@code url.Parse} (which the collector applies to a URL path setting before adding the
   * leading slash) refuses {@code text}, or empty when it accepts it: a control character, a colon
   * before any scheme character ({@code :x}), a colon in the first segment of a relative path
   * ({@code 1a:b}), or a {@code %} not followed by two hex digits.
   */
  static Optional<String> goUrlParseError(String text) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c < 0x20 || c == 0x7f) {
        return Optional.of("invalid control character in URL");
      }
    }
    String rest = text;
    int hash = rest.indexOf('#');
    if (hash >= 0) {
      rest = rest.substring(0, hash);
    }
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
          return Optional.of("missing protocol scheme");
        }
        scheme = true;
      }
      break;
    }
    if (!scheme && !rest.startsWith("/")) {
      int q = rest.indexOf('?');
      String path = q >= 0 ? rest.substring(0, q) : rest;
      int slash = path.indexOf('/');
      if ((slash >= 0 ? path.substring(0, slash) : path).indexOf(':') >= 0) {
        return Optional.of("first path segment in URL cannot contain colon");
      }
    }
    for (int i = text.indexOf('%'); i >= 0; i = text.indexOf('%', i + 1)) {
      if (i + 2 >= text.length() || !isHex(text.charAt(i + 1)) || !isHex(text.charAt(i + 2))) {
        return Optional.of("invalid URL escape");
      }
    }
    return Optional.empty();
  }

  private static boolean isHex(char c) {
    return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F';
  }
}
