package io.tiercel.processors.ottl.compile;

import java.util.HashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** OTTL enum symbols and their int64 values. */
final class Enums {
  private static final Map<String, Long> VALUES = values();

  private static Map<String, Long> values() {
    Map<String, Long> values = new HashMap<>();
    String[] kinds = {"UNSPECIFIED", "INTERNAL", "SERVER", "CLIENT", "PRODUCER", "CONSUMER"};
    for (int i = 0; i < kinds.length; i++) {
      values.put("SPAN_KIND_" + kinds[i], (long) i);
    }
    values.put("STATUS_CODE_UNSET", 0L);
    values.put("STATUS_CODE_OK", 1L);
    values.put("STATUS_CODE_ERROR", 2L);
    String[] types = {"NONE", "GAUGE", "SUM", "HISTOGRAM", "EXPONENTIAL_HISTOGRAM", "SUMMARY"};
    for (int i = 0; i < types.length; i++) {
      values.put("METRIC_DATA_TYPE_" + types[i], (long) i);
    }
    values.put("AGGREGATION_TEMPORALITY_UNSPECIFIED", 0L);
    values.put("AGGREGATION_TEMPORALITY_DELTA", 1L);
    values.put("AGGREGATION_TEMPORALITY_CUMULATIVE", 2L);
    values.put("SEVERITY_NUMBER_UNSPECIFIED", 0L);
    String[] sev = {"TRACE", "DEBUG", "INFO", "WARN", "ERROR", "FATAL"};
    for (int i = 0; i < sev.length; i++) {
      long base = 1 + 4L * i;
      values.put("SEVERITY_NUMBER_" + sev[i], base);
      for (int j = 2; j <= 4; j++) {
        values.put("SEVERITY_NUMBER_" + sev[i] + j, base + j - 1);
      }
    }
    values.put("FLAG_NONE", 0L);
    values.put("FLAG_NO_RECORDED_VALUE", 1L);
    return Map.copyOf(values);
  }

  private Enums() {}

  static @Nullable Long get(String name) {
    return VALUES.get(name);
  }
}
