package io.tiercel.processors.ottl.compile;

import java.util.HashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** OTTL enum symbols and their int64 values. */
final class Enums {
  private static final Map<String, Long> VALUES = new HashMap<>();

  static {
    String[] kinds = {"UNSPECIFIED", "INTERNAL", "SERVER", "CLIENT", "PRODUCER", "CONSUMER"};
    for (int i = 0; i < kinds.length; i++) {
      VALUES.put("SPAN_KIND_" + kinds[i], (long) i);
    }
    VALUES.put("STATUS_CODE_UNSET", 0L);
    VALUES.put("STATUS_CODE_OK", 1L);
    VALUES.put("STATUS_CODE_ERROR", 2L);
    String[] types = {"NONE", "GAUGE", "SUM", "HISTOGRAM", "EXPONENTIAL_HISTOGRAM", "SUMMARY"};
    for (int i = 0; i < types.length; i++) {
      VALUES.put("METRIC_DATA_TYPE_" + types[i], (long) i);
    }
    VALUES.put("AGGREGATION_TEMPORALITY_UNSPECIFIED", 0L);
    VALUES.put("AGGREGATION_TEMPORALITY_DELTA", 1L);
    VALUES.put("AGGREGATION_TEMPORALITY_CUMULATIVE", 2L);
    VALUES.put("SEVERITY_NUMBER_UNSPECIFIED", 0L);
    String[] sev = {"TRACE", "DEBUG", "INFO", "WARN", "ERROR", "FATAL"};
    for (int i = 0; i < sev.length; i++) {
      long base = 1 + 4L * i;
      VALUES.put("SEVERITY_NUMBER_" + sev[i], base);
      for (int j = 2; j <= 4; j++) {
        VALUES.put("SEVERITY_NUMBER_" + sev[i] + j, base + j - 1);
      }
    }
    VALUES.put("FLAG_NONE", 0L);
    VALUES.put("FLAG_NO_RECORDED_VALUE", 1L);
  }

  private Enums() {}

  static @Nullable Long get(String name) {
    return VALUES.get(name);
  }
}
