package io.tiercel.otlp.receiver;

import io.tiercel.core.config.InvalidValueException;

/** The check of the HTTP server's URL path settings, as the collector parses them. */
final class UrlPaths {
  private UrlPaths() {}

  /**
   * The collector's reading of a URL path setting: the path Go's {@code url.Parse} finds in it,
   * with a leading slash added; what {@code url.Parse} refuses is refused.
   */
  static String check(String key, String path, String dflt) {
    if (path == null || path.isEmpty()) {
      return dflt;
    }
    String p;
    try {
      p = GoUrlPath.path(path);
    } catch (GoUrlPath.Unparsable e) {
      throw new InvalidValueException(
          key, "\"" + path + "\" is not a valid URL path (" + e.getMessage() + ")");
    }
    return p.startsWith("/") ? p : "/" + p;
  }
}
