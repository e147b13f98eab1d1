package io.tiercel.core.extension.zpages;

import io.tiercel.core.util.JsonText;
import java.util.Collection;
import java.util.Locale;
import java.util.Map;

/**
 * Writes a tree of maps, collections, strings, numbers, booleans and nulls as JSON. A number that
 * is not finite is written as {@code null}; any other value as its string. Thread-safe.
 */
final class Json {
  private Json() {}

  static String write(Object tree) {
    StringBuilder sb = new StringBuilder(8192);
    write(sb, tree, 0);
    return sb.toString();
  }

  private static void write(StringBuilder sb, Object v, int depth) {
    if (depth > 64) {
      sb.append("null");
    } else if (v == null) {
      sb.append("null");
    } else if (v instanceof Map<?, ?> m) {
      sb.append('{');
      boolean first = true;
      for (Map.Entry<?, ?> e : m.entrySet()) {
        sb.append(first ? "" : ",");
        first = false;
        JsonText.quote(sb, String.valueOf(e.getKey())).append(':');
        write(sb, e.getValue(), depth + 1);
      }
      sb.append('}');
    } else if (v instanceof Collection<?> c) {
      sb.append('[');
      boolean first = true;
      for (Object o : c) {
        sb.append(first ? "" : ",");
        first = false;
        write(sb, o, depth + 1);
      }
      sb.append(']');
    } else if (v instanceof Double || v instanceof Float) {
      double d = ((Number) v).doubleValue();
      if (Double.isNaN(d) || Double.isInfinite(d)) {
        sb.append("null");
      } else if (d == Math.rint(d) && Math.abs(d) < 1e15) {
        sb.append((long) d);
      } else {
        sb.append(String.format(Locale.ROOT, "%.4g", d).replaceFirst("\\.?0+(e|$)", "$1"));
      }
    } else if (v instanceof Number || v instanceof Boolean) {
      sb.append(v);
    } else {
      JsonText.quote(sb, v.toString());
    }
  }
}
