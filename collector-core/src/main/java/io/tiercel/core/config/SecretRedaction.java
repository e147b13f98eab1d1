package io.tiercel.core.config;

import java.lang.reflect.RecordComponent;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/** Keeps the values of a record's {@link Secret}s out of the binder's error messages. */
final class SecretRedaction {
  private SecretRedaction() {}

  static void collect(Object v, List<String> out, int depth) {
    if (v == null || depth > 20) {
      return;
    }
    if (v instanceof Secret s) {
      if (!s.isEmpty()) {
        out.add(s.value());
      }
    } else if (v instanceof Record r) {
      for (RecordComponent c : r.getClass().getRecordComponents()) {
        collect(ConfigBinder.read(c, r), out, depth + 1);
      }
    } else if (v instanceof Collection<?> c) {
      for (Object o : c) {
        collect(o, out, depth + 1);
      }
    } else if (v instanceof Map<?, ?> m) {
      for (Object o : m.values()) {
        collect(o, out, depth + 1);
      }
    }
  }

  static String redact(String msg, List<String> secrets) {
    String m = msg;
    for (String s : secrets) {
      m = m.replace(s, Secret.REDACTED);
    }
    return m;
  }
}
