package io.tiercel.processors.ottl.func;

import io.tiercel.processors.ottl.eval.OttlRuntimeException;
import io.tiercel.processors.ottl.eval.Values;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * ParseSeverity's mapping: {@code {"level": [criterion, ...], ...}}, each criterion {@code
 * {"equals": ["text", ...]}} (matches a string) or {@code {"range": {"min": a, "max": b}}} or
 * {@code {"range": "2xx"}} (matches an int, bounds inclusive). The first level, in mapping order,
 * with a matching criterion is the result.
 */
final class Severity {
  private Severity() {}

  static String level(@Nullable Object value, Map<?, ?> levels) {
    if (!(value instanceof String) && !(value instanceof Long)) {
      throw new OttlRuntimeException(
          "could not map log level: log level must be either string or int, got "
              + Values.typeName(value));
    }
    for (Map.Entry<?, ?> level : levels.entrySet()) {
      if (!(level.getValue() instanceof List<?> criteria)) {
        throw invalid("the criteria of level \"" + level.getKey() + "\" must be a list");
      }
      for (Object criterion : criteria) {
        if (!(criterion instanceof Map<?, ?> crit)) {
          throw invalid("a criterion of level \"" + level.getKey() + "\" must be a map");
        }
        if (matches(value, crit)) {
          return String.valueOf(level.getKey());
        }
      }
    }
    throw new OttlRuntimeException(
        "could not map log level: no matching log level found for value '" + value + "'");
  }

  private static boolean matches(Object value, Map<?, ?> criterion) {
    for (Map.Entry<?, ?> e : criterion.entrySet()) {
      switch (String.valueOf(e.getKey())) {
        case "equals" -> {
          if (!(e.getValue() instanceof List<?> texts)) {
            throw invalid("\"equals\" must be a list of strings");
          }
          if (value instanceof String s && texts.contains(s)) {
            return true;
          }
        }
        case "range" -> {
          long[] r = range(e.getValue());
          if (value instanceof Long l && r[0] <= l && l <= r[1]) {
            return true;
          }
        }
        default -> throw invalid("unknown criterion \"" + e.getKey() + "\"");
      }
    }
    return false;
  }

  private static long[] range(@Nullable Object r) {
    if (r instanceof String s) {
      return switch (s) {
        case "2xx" -> new long[] {200, 299};
        case "3xx" -> new long[] {300, 399};
        case "4xx" -> new long[] {400, 499};
        case "5xx" -> new long[] {500, 599};
        default -> throw invalid("unknown range placeholder \"" + s + "\"");
      };
    }
    if (r instanceof Map<?, ?> m
        && Values.norm(m.get("min")) instanceof Long min
        && Values.norm(m.get("max")) instanceof Long max) {
      return new long[] {min, max};
    }
    throw invalid("a range must be {\"min\": int, \"max\": int} or one of 2xx, 3xx, 4xx, 5xx");
  }

  private static OttlRuntimeException invalid(String what) {
    return new OttlRuntimeException("invalid severity mapping: " + what);
  }
}
