package io.tiercel.processors.ottl.eval;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.ArrayValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.common.v1.KeyValueList;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The Java-side OTTL value model and its rules. Values are: {@code null} (nil), {@link String},
 * {@link Boolean}, {@link Long}, {@link Double}, {@link Bytes}, {@code Map<String,Object>}
 * (insertion-ordered), {@code List<Object>}, {@link Instant} (time) and {@link Duration}.
 * Conversions to and from OTLP {@code AnyValue}, comparison and math follow the OpenTelemetry
 * Collector's OTTL semantics.
 */
public final class Values {
  private Values() {}

  /** Converts an OTLP value; an unset value is nil. */
  public static @Nullable Object fromAny(AnyValue v) {
    return switch (v.getValueCase()) {
      case STRING_VALUE -> v.getStringValue();
      case BOOL_VALUE -> v.getBoolValue();
      case INT_VALUE -> v.getIntValue();
      case DOUBLE_VALUE -> v.getDoubleValue();
      case BYTES_VALUE -> Bytes.wrap(v.getBytesValue().toByteArray());
      case ARRAY_VALUE -> {
        List<Object> l = new ArrayList<>(v.getArrayValue().getValuesCount());
        for (AnyValue e : v.getArrayValue().getValuesList()) {
          l.add(fromAny(e));
        }
        yield l;
      }
      case KVLIST_VALUE -> fromKeyValues(v.getKvlistValue().getValuesList());
      default -> null;
    };
  }

  /**
   * Converts an attribute list to an ordered map (later duplicates win, keeping the first
   * position).
   */
  public static Map<String, Object> fromKeyValues(List<KeyValue> kvs) {
    Map<String, Object> m = new LinkedHashMap<>(Math.max(4, kvs.size() * 2));
    for (KeyValue kv : kvs) {
      m.put(kv.getKey(), fromAny(kv.getValue()));
    }
    return m;
  }

  /**
   * Converts a Java value to OTLP; times become RFC 3339 strings, durations Go duration strings.
   */
  public static AnyValue toAny(@Nullable Object v) {
    AnyValue.Builder b = AnyValue.newBuilder();
    if (v == null) {
      return b.build();
    } else if (v instanceof String s) {
      b.setStringValue(s);
    } else if (v instanceof Boolean x) {
      b.setBoolValue(x);
    } else if (v instanceof Long x) {
      b.setIntValue(x);
    } else if (v instanceof Integer x) {
      b.setIntValue(x);
    } else if (v instanceof Double x) {
      b.setDoubleValue(x);
    } else if (v instanceof Float x) {
      b.setDoubleValue(x);
    } else if (v instanceof Bytes x) {
      b.setBytesValue(ByteString.copyFrom(x.raw()));
    } else if (v instanceof Map<?, ?> m) {
      b.setKvlistValue(KeyValueList.newBuilder().addAllValues(toKeyValues(m)));
    } else if (v instanceof List<?> l) {
      ArrayValue.Builder a = ArrayValue.newBuilder();
      for (Object e : l) {
        a.addValues(toAny(e));
      }
      b.setArrayValue(a);
    } else {
      b.setStringValue(asString(v));
    }
    return b.build();
  }

  /** Converts a map to an attribute list in its order. */
  public static List<KeyValue> toKeyValues(Map<?, ?> m) {
    List<KeyValue> out = new ArrayList<>(m.size());
    for (Map.Entry<?, ?> e : m.entrySet()) {
      out.add(
          KeyValue.newBuilder()
              .setKey(String.valueOf(e.getKey()))
              .setValue(toAny(e.getValue()))
              .build());
    }
    return out;
  }

  /** Normalizes boxed Java numbers to the model (Integer to Long, Float to Double). */
  public static @Nullable Object norm(@Nullable Object v) {
    if (v instanceof Integer i) {
      return (long) i;
    }
    if (v instanceof Short s) {
      return (long) s;
    }
    if (v instanceof Float f) {
      return (double) f;
    }
    return v;
  }

  /** The OTTL type name used in error messages. */
  public static String typeName(@Nullable Object v) {
    if (v == null) {
      return "nil";
    } else if (v instanceof String) {
      return "string";
    } else if (v instanceof Boolean) {
      return "bool";
    } else if (v instanceof Long) {
      return "int64";
    } else if (v instanceof Double) {
      return "float64";
    } else if (v instanceof Bytes) {
      return "[]byte";
    } else if (v instanceof Map) {
      return "map";
    } else if (v instanceof List) {
      return "slice";
    } else if (v instanceof Instant) {
      return "time";
    } else if (v instanceof Duration) {
      return "duration";
    }
    return v.getClass().getSimpleName();
  }

  // ---------------------------------------------------------------- strings

  /**
   * Go's shortest float formatting without exponent for ordinary magnitudes ({@code 1}, {@code
   * 1.5}).
   */
  public static String formatDouble(double d) {
    if (Double.isNaN(d)) {
      return "NaN";
    }
    if (Double.isInfinite(d)) {
      return d > 0 ? "+Inf" : "-Inf";
    }
    if (d == Math.rint(d) && Math.abs(d) < 1e21) {
      return new BigDecimal(d).toPlainString();
    }
    if (Math.abs(d) >= 1e21 || Math.abs(d) < 1e-4) {
      // Go's %v: shortest mantissa, exponent with a sign and at least two digits (1e-05, 1.5e+21)
      String j = Double.toString(d);
      int e = j.indexOf('E');
      String mant = j.substring(0, e);
      if (mant.endsWith(".0")) {
        mant = mant.substring(0, mant.length() - 2);
      }
      int exp = Integer.parseInt(j.substring(e + 1));
      return mant + "e" + (exp < 0 ? "-" : "+") + (Math.abs(exp) < 10 ? "0" : "") + Math.abs(exp);
    }
    return BigDecimal.valueOf(d).toPlainString();
  }

  /**
   * The string form the collector uses for a value in string contexts (pdata {@code AsString}):
   * bools and numbers as text, bytes base64, maps and slices as JSON, nil as empty.
   */
  public static String asString(@Nullable Object v) {
    v = norm(v);
    if (v == null) {
      return "";
    } else if (v instanceof String s) {
      return s;
    } else if (v instanceof Double d) {
      return formatDouble(d);
    } else if (v instanceof Bytes b) {
      return Base64.getEncoder().encodeToString(b.raw());
    } else if (v instanceof Map || v instanceof List) {
      return toJson(v);
    } else if (v instanceof Duration d) {
      return goDuration(d);
    }
    return String.valueOf(v);
  }

  /** JSON text of a value (maps keep their order). */
  public static String toJson(@Nullable Object v) {
    StringBuilder sb = new StringBuilder();
    json(sb, norm(v));
    return sb.toString();
  }

  private static void json(StringBuilder sb, @Nullable Object v) {
    if (v == null) {
      sb.append("null");
    } else if (v instanceof String s) {
      quote(sb, s);
    } else if (v instanceof Double d) {
      sb.append(formatDouble(d));
    } else if (v instanceof Map<?, ?> m) {
      sb.append('{');
      boolean first = true;
      for (Map.Entry<?, ?> e : m.entrySet()) {
        if (!first) {
          sb.append(',');
        }
        first = false;
        quote(sb, String.valueOf(e.getKey()));
        sb.append(':');
        json(sb, norm(e.getValue()));
      }
      sb.append('}');
    } else if (v instanceof List<?> l) {
      sb.append('[');
      for (int i = 0; i < l.size(); i++) {
        if (i > 0) {
          sb.append(',');
        }
        json(sb, norm(l.get(i)));
      }
      sb.append(']');
    } else if (v instanceof Bytes b) {
      quote(sb, Base64.getEncoder().encodeToString(b.raw()));
    } else if (v instanceof Long || v instanceof Boolean) {
      sb.append(v);
    } else {
      quote(sb, asString(v));
    }
  }

  /** Appends {@code s} as a JSON string literal. */
  public static void quote(StringBuilder sb, String s) {
    sb.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> sb.append("\\\"");
        case '\\' -> sb.append("\\\\");
        case '\n' -> sb.append("\\n");
        case '\r' -> sb.append("\\r");
        case '\t' -> sb.append("\\t");
        default -> {
          if (c < 0x20) {
            sb.append(String.format("\\u%04x", (int) c));
          } else {
            sb.append(c);
          }
        }
      }
    }
    sb.append('"');
  }

  /** A Go duration string: {@code 1h2m3.5s}, {@code 200ms}, {@code 0s}. */
  public static String goDuration(Duration d) {
    long n = d.toNanos();
    if (n == 0) {
      return "0s";
    }
    StringBuilder sb = new StringBuilder();
    if (n < 0) {
      sb.append('-');
      n = -n;
    }
    if (n < 1_000_000_000L) {
      if (n < 1_000) {
        return sb.append(n).append("ns").toString();
      } else if (n < 1_000_000) {
        return sb.append(trim(n / 1e3)).append("µs").toString();
      }
      return sb.append(trim(n / 1e6)).append("ms").toString();
    }
    long h = n / 3_600_000_000_000L;
    n -= h * 3_600_000_000_000L;
    long m = n / 60_000_000_000L;
    n -= m * 60_000_000_000L;
    if (h > 0) {
      sb.append(h).append('h');
    }
    if (h > 0 || m > 0) {
      sb.append(m).append('m');
    }
    return sb.append(trim(n / 1e9)).append('s').toString();
  }

  private static String trim(double d) {
    return BigDecimal.valueOf(d).stripTrailingZeros().toPlainString();
  }

  /**
   * Parses a Go duration string ({@code 1h30m}, {@code 200ms}, {@code -1.5s}); null when malformed.
   */
  public static @Nullable Duration parseGoDuration(String s) {
    if (s.isEmpty()) {
      return null;
    }
    int i = 0;
    boolean neg = false;
    if (s.charAt(0) == '-' || s.charAt(0) == '+') {
      neg = s.charAt(0) == '-';
      i++;
    }
    if (s.substring(i).equals("0")) {
      return Duration.ZERO;
    }
    if (i >= s.length()) {
      return null;
    }
    BigDecimal total = BigDecimal.ZERO;
    while (i < s.length()) {
      int start = i;
      while (i < s.length() && (Character.isDigit(s.charAt(i)) || s.charAt(i) == '.')) {
        i++;
      }
      if (start == i) {
        return null;
      }
      BigDecimal num;
      try {
        num = new BigDecimal(s.substring(start, i));
      } catch (NumberFormatException e) {
        return null;
      }
      int us = i;
      while (i < s.length() && !Character.isDigit(s.charAt(i)) && s.charAt(i) != '.') {
        i++;
      }
      long unit =
          switch (s.substring(us, i)) {
            case "ns" -> 1L;
            case "us", "µs", "μs" -> 1_000L;
            case "ms" -> 1_000_000L;
            case "s" -> 1_000_000_000L;
            case "m" -> 60_000_000_000L;
            case "h" -> 3_600_000_000_000L;
            default -> -1L;
          };
      if (unit < 0) {
        return null;
      }
      total = total.add(num.multiply(BigDecimal.valueOf(unit)));
    }
    long nanos = total.longValue();
    return Duration.ofNanos(neg ? -nanos : nanos);
  }

  /** The time {@code nanos} nanoseconds after the Unix epoch. */
  public static Instant fromUnixNanos(long nanos) {
    return Instant.ofEpochSecond(0, nanos);
  }

  /** Nanoseconds since the Unix epoch; throws ArithmeticException outside the int64 range. */
  public static long unixNanos(Instant t) {
    return Math.addExact(Math.multiplyExact(t.getEpochSecond(), 1_000_000_000L), t.getNano());
  }

  /** Deep copy of maps and lists (other values are immutable). */
  @SuppressWarnings("unchecked")
  public static @Nullable Object copy(@Nullable Object v) {
    if (v instanceof Map<?, ?> m) {
      Map<String, Object> c = new LinkedHashMap<>();
      ((Map<String, Object>) m).forEach((k, x) -> c.put(k, copy(x)));
      return c;
    }
    if (v instanceof List<?> l) {
      List<Object> c = new ArrayList<>(l.size());
      for (Object x : l) {
        c.add(copy(x));
      }
      return c;
    }
    return norm(v);
  }
}
