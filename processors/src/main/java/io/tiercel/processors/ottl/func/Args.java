package io.tiercel.processors.ottl.func;

import io.tiercel.processors.ottl.eval.OttlRuntimeException;
import io.tiercel.processors.ottl.eval.Values;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** Type checks of argument values at run time, failing with the function's name. */
final class Args {
  private Args() {}

  /** A STR_LIST_LIT argument. */
  static List<String> strings(Object arg) {
    return ((List<?>) arg).stream().map(String.class::cast).toList();
  }

  static String str(@Nullable Object v, String fn) {
    if (v instanceof String s) {
      return s;
    }
    throw new OttlRuntimeException(fn + ": expected string but got " + Values.typeName(v));
  }

  static long lng(@Nullable Object v, String fn) {
    v = Values.norm(v);
    if (v instanceof Long l) {
      return l;
    }
    throw new OttlRuntimeException(fn + ": expected int64 but got " + Values.typeName(v));
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> mapCopy(@Nullable Object v, String fn) {
    if (v instanceof Map<?, ?> m) {
      return new LinkedHashMap<>((Map<String, Object>) m);
    }
    throw new OttlRuntimeException(fn + ": expected a map but got " + Values.typeName(v));
  }

  static Instant time(@Nullable Object v, String fn) {
    if (v instanceof Instant t) {
      return t;
    }
    throw new OttlRuntimeException(fn + ": expected a time but got " + Values.typeName(v));
  }

  static Duration duration(@Nullable Object v, String fn) {
    if (v instanceof Duration d) {
      return d;
    }
    throw new OttlRuntimeException(fn + ": expected a duration but got " + Values.typeName(v));
  }
}
