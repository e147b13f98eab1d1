package io.tiercel.otlp.receiver;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The CORS policy of the HTTP server, from {@code cors}: origin matching with {@code *} wildcards,
 * allowed headers.
 */
final class Cors {
  private static final Set<String> ALWAYS_ALLOWED =
      Set.of("accept", "accept-language", "content-type", "content-language");
  private final List<Pattern> origins = new ArrayList<>();
  private final boolean anyHeader;
  private final Set<String> headers;
  private final int maxAge;

  Cors(OtlpReceiverConfig.Cors config) {
    for (String o : config.allowedOrigins()) {
      List<String> parts = new ArrayList<>();
      for (String part : o.toLowerCase(Locale.ROOT).split("\\*", -1)) {
        parts.add(Pattern.quote(part));
      }
      origins.add(Pattern.compile(String.join(".*", parts)));
    }
    List<String> h = new ArrayList<>();
    boolean any = false;
    for (String s : config.allowedHeaders()) {
      if (s.equals("*")) {
        any = true;
      }
      h.add(s.toLowerCase(Locale.ROOT));
    }
    if (h.isEmpty()) {
      h.add("x-requested-with");
    }
    h.addAll(ALWAYS_ALLOWED);
    this.anyHeader = any;
    this.headers = Set.copyOf(h);
    this.maxAge = config.maxAge();
  }

  /** True when {@code origin} may send requests. */
  boolean originAllowed(String origin) {
    if (origin == null) {
      return false;
    }
    String o = origin.toLowerCase(Locale.ROOT);
    for (Pattern p : origins) {
      if (p.matcher(o).matches()) {
        return true;
      }
    }
    return false;
  }

  /** True when every header of an {@code Access-Control-Request-Headers} value is allowed. */
  boolean headersAllowed(String requested) {
    if (requested == null || requested.isBlank() || anyHeader) {
      return true;
    }
    for (String h : requested.split(",")) {
      String name = h.strip().toLowerCase(Locale.ROOT);
      if (!name.isEmpty() && !headers.contains(name)) {
        return false;
      }
    }
    return true;
  }

  /** Seconds a preflight answer may be cached, or 0 when not sent. */
  int maxAge() {
    return maxAge;
  }
}
