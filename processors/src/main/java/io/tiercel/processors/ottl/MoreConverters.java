package io.tiercel.processors.ottl;

import java.math.BigInteger;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/** Further converters of the collector's ottlfuncs (string case, time parts, parsing, sorting). */
final class MoreConverters {
  private MoreConverters() {}

  /** Seconds from Go's zero time (0001-01-01 UTC) to the Unix epoch. */
  private static final long GO_ZERO_TO_UNIX_SECONDS = 62_135_596_800L;

  static String snake(String s) {
    StringBuilder sb = new StringBuilder();
    int n = s.length();
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      if (c == ' ' || c == '-' || c == '.' || c == '_') {
        if (sb.length() > 0 && sb.charAt(sb.length() - 1) != '_') {
          sb.append('_');
        }
        continue;
      }
      if (Character.isUpperCase(c)) {
        boolean prevLower =
            i > 0 && (Character.isLowerCase(s.charAt(i - 1)) || Character.isDigit(s.charAt(i - 1)));
        boolean acronymEnd =
            i > 0
                && Character.isUpperCase(s.charAt(i - 1))
                && i + 1 < n
                && Character.isLowerCase(s.charAt(i + 1));
        if ((prevLower || acronymEnd) && sb.length() > 0 && sb.charAt(sb.length() - 1) != '_') {
          sb.append('_');
        }
        sb.append(Character.toLowerCase(c));
      } else {
        sb.append(c);
      }
    }
    return sb.toString();
  }

  static String camel(String s) {
    StringBuilder sb = new StringBuilder();
    boolean up = true;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == ' ' || c == '-' || c == '.' || c == '_') {
        up = true;
        continue;
      }
      sb.append(up ? Character.toUpperCase(c) : c);
      up = false;
    }
    return sb.toString();
  }

  static long parseInt(String s, long base) {
    String t = s;
    boolean neg = false;
    if (t.startsWith("+") || t.startsWith("-")) {
      neg = t.startsWith("-");
      t = t.substring(1);
    }
    int radix = (int) base;
    if (base == 0) {
      t = t.replace("_", "");
      String lower = t.toLowerCase(Locale.ROOT);
      if (lower.startsWith("0x")) {
        radix = 16;
        t = t.substring(2);
      } else if (lower.startsWith("0b")) {
        radix = 2;
        t = t.substring(2);
      } else if (lower.startsWith("0o")) {
        radix = 8;
        t = t.substring(2);
      } else if (t.length() > 1 && t.startsWith("0")) {
        radix = 8;
        t = t.substring(1);
      } else {
        radix = 10;
      }
    }
    if (radix < 2 || radix > 36) {
      throw new OttlRuntimeException(
          "strconv.ParseInt: parsing \"" + s + "\": invalid base " + base);
    }
    try {
      if (t.isEmpty() || t.startsWith("+") || t.startsWith("-")) {
        throw new NumberFormatException();
      }
      long v = Long.parseLong((neg ? "-" : "") + t, radix);
      return v;
    } catch (NumberFormatException e) {
      throw new OttlRuntimeException("strconv.ParseInt: parsing \"" + s + "\": invalid syntax");
    }
  }

  static Instant truncate(Instant t, Duration d) {
    if (d.isNegative() || d.isZero()) {
      return t;
    }
    BigInteger since =
        BigInteger.valueOf(t.getEpochSecond() + GO_ZERO_TO_UNIX_SECONDS)
            .multiply(BigInteger.valueOf(1_000_000_000L))
            .add(BigInteger.valueOf(t.getNano()));
    BigInteger rem = since.mod(BigInteger.valueOf(d.toNanos()));
    return t.minusNanos(rem.longValueExact());
  }

  static boolean luhn(String digits) {
    int sum = 0;
    boolean dbl = false;
    for (int i = digits.length() - 1; i >= 0; i--) {
      char c = digits.charAt(i);
      if (c < '0' || c > '9') {
        throw new OttlRuntimeException("IsValidLuhn: invalid value, must contain only digits");
      }
      int d = c - '0';
      if (dbl) {
        d *= 2;
        if (d > 9) {
          d -= 9;
        }
      }
      sum += d;
      dbl = !dbl;
    }
    return digits.length() > 0 && sum % 10 == 0;
  }

  /**
   * The collector's Sort rules: ints, floats, numbers (as floats), strings; anything else sorted as
   * strings.
   */
  static List<Object> sort(List<?> in, boolean desc) {
    List<Object> out = new ArrayList<>();
    for (Object o : in) {
      Object v = Values.norm(o);
      if (!(v instanceof Long
          || v instanceof Double
          || v instanceof String
          || v instanceof Boolean)) {
        throw new OttlRuntimeException(
            "Sort: sorting is not supported for " + Values.typeName(v) + " elements");
      }
      out.add(v);
    }
    boolean numeric = out.stream().allMatch(v -> v instanceof Long || v instanceof Double);
    Comparator<Object> cmp =
        numeric
            ? Comparator.comparingDouble(v -> ((Number) v).doubleValue())
            : Comparator.comparing(Values::asString);
    out.sort(desc ? cmp.reversed() : cmp);
    return out;
  }

  static String trim(String s, String cutset) {
    int a = 0;
    int b = s.length();
    while (a < b && cutset.indexOf(s.charAt(a)) >= 0) {
      a++;
    }
    while (b > a && cutset.indexOf(s.charAt(b - 1)) >= 0) {
      b--;
    }
    return s.substring(a, b);
  }

  static String decode(Object v, String encoding) {
    byte[] in =
        v instanceof Bytes b
            ? b.raw()
            : Functions.str(v, "Decode").getBytes(StandardCharsets.UTF_8);
    try {
      return switch (encoding) {
        case "base64" -> new String(Base64.getDecoder().decode(in), StandardCharsets.UTF_8);
        case "base64-raw" -> new String(Base64.getDecoder().decode(in), StandardCharsets.UTF_8);
        case "base64-url" -> new String(Base64.getUrlDecoder().decode(in), StandardCharsets.UTF_8);
        case "base64-raw-url" ->
            new String(Base64.getUrlDecoder().decode(in), StandardCharsets.UTF_8);
        default -> new String(in, Charset.forName(encoding));
      };
    } catch (IllegalArgumentException e) {
      throw new OttlRuntimeException(
          "Decode: could not decode using " + encoding + ": " + e.getMessage());
    }
  }

  static ZonedDateTime utc(Instant t) {
    return t.atZone(ZoneOffset.UTC);
  }

  static List<Object> values(Map<?, ?> m) {
    return new ArrayList<>(m.values());
  }

  static String uuid() {
    return UUID.randomUUID().toString();
  }
}
