package io.tiercel.core.extension.zpages;

import static io.tiercel.core.extension.zpages.StatusDocument.map;

import io.tiercel.core.component.Component;
import io.tiercel.core.extension.zpages.StatusDocument.Rates;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * The {@code kafka_receivers} and {@code kafka_exporters} sections: the components' own {@code
 * LiveStatus} (assignment, records in flight) joined with their {@code otelcol_kafka_*} metrics
 * (lag, committed offset, dead-letter counts, records per partition, write latency).
 */
final class KafkaSections {
  private KafkaSections() {}

  static List<Object> receivers(Map<String, Component> components, Rates r) {
    List<Object> out = new ArrayList<>();
    components.forEach(
        (key, c) -> {
          if (!isType(key, "receiver/", "kafka")) {
            return;
          }
          String id = key.substring("receiver/".length());
          Map<String, Object> m = new LinkedHashMap<>();
          m.put("id", id);
          Map<String, Object> live = StatusDocument.live(c);
          m.putAll(live);
          List<Object> partitions = new ArrayList<>();
          if (live.get("partitions") instanceof List<?> assigned) {
            for (Object o : assigned) {
              if (o instanceof Map<?, ?> p) {
                Map<String, Object> pm = new LinkedHashMap<>();
                p.forEach((k, v) -> pm.put(String.valueOf(k), v));
                String tp = "|" + id + "|" + p.get("topic") + "|" + p.get("partition");
                pm.putIfAbsent(
                    "lag",
                    r.cur != null && r.cur.values.containsKey("kr.lag" + tp)
                        ? r.total("kr.lag" + tp)
                        : null);
                pm.put("records_per_second", r.rate("kr.records" + tp));
                partitions.add(pm);
              }
            }
          } else { // no live status: what the metrics know (partitions this instance had)
            for (String k : r.keys("kr.lag|" + id + "|")) {
              String[] parts = k.split("\\|");
              String tp = "|" + id + "|" + parts[2] + "|" + parts[3];
              Map<String, Object> pm = map("topic", parts[2], "partition", parts[3]);
              pm.put("committed_offset", r.total("kr.offset" + tp));
              pm.put("lag", r.total(k));
              pm.put("records_per_second", r.rate("kr.records" + tp));
              partitions.add(pm);
            }
          }
          m.put("partitions", partitions);
          m.put("dead_letter", byReason(r, "kr.dead_letter|" + id + "|"));
          m.put("skipped", byReason(r, "kr.skipped|" + id + "|"));
          out.add(m);
        });
    return out;
  }

  private static Map<String, Object> byReason(Rates r, String prefix) {
    double total = 0;
    double perSecond = 0;
    boolean haveRate = r.seconds != null;
    Map<String, Object> reasons = new TreeMap<>();
    for (String k : r.keys(prefix)) {
      double v = r.total(k);
      total += v;
      Double rate = r.rate(k);
      perSecond += rate == null ? 0 : rate;
      reasons.put(k.substring(prefix.length()), v);
    }
    Map<String, Object> m = map("total", total, "per_second", haveRate ? perSecond : null);
    m.put("by_reason", reasons);
    return m;
  }

  static List<Object> exporters(
      Map<String, Component> components, Rates r, @Nullable Sample windowStart) {
    List<Object> out = new ArrayList<>();
    List<String> seen = new ArrayList<>();
    components.forEach(
        (key, c) -> {
          if (!isType(key, "exporter/", "kafka")) {
            return;
          }
          String id = key.substring("exporter/".length(), key.indexOf('['));
          if (seen.contains(id)) {
            return; // one exporter id serves several signals; its metrics are per id
          }
          seen.add(id);
          Map<String, Object> m = new LinkedHashMap<>();
          m.put("id", id);
          m.putAll(StatusDocument.live(c));
          Map<String, Map<String, Object>> parts = new TreeMap<>();
          for (String k : r.keys("ke.records|" + id + "|")) {
            String[] p = k.split("\\|");
            String tp = p[2] + "|" + p[3];
            Map<String, Object> pm =
                parts.computeIfAbsent(tp, x -> map("topic", p[2], "partition", p[3]));
            boolean ok = "success".equals(p[4]);
            pm.put(ok ? "records" : "failed_records", r.total(k));
            pm.put(ok ? "records_per_second" : "failed_per_second", r.rate(k));
          }
          for (Map<String, Object> pm : parts.values()) {
            String hk = "ke.latency|" + id + "|" + pm.get("topic") + "|" + pm.get("partition");
            Sample.Buckets now = r.cur == null ? null : r.cur.histograms.get(hk);
            Sample.Buckets then = windowStart == null ? null : windowStart.histograms.get(hk);
            long[] counts = delta(now, then);
            pm.put("write_latency_p50_ms", ms(now, counts, 0.5));
            pm.put("write_latency_p99_ms", ms(now, counts, 0.99));
          }
          m.put("partitions", new ArrayList<>(parts.values()));
          out.add(m);
        });
    return out;
  }

  private static long @Nullable [] delta(
      Sample.@Nullable Buckets now, Sample.@Nullable Buckets then) {
    if (now == null) {
      return null;
    }
    long[] c = now.counts().clone();
    if (then != null && then.counts().length == c.length) {
      for (int i = 0; i < c.length; i++) {
        c[i] -= then.counts()[i];
      }
    }
    return c;
  }

  private static @Nullable Double ms(
      Sample.@Nullable Buckets b, long @Nullable [] counts, double q) {
    if (b == null || counts == null) {
      return null;
    }
    Double s = Histograms.quantile(q, b.bounds(), counts);
    return s == null ? null : s * 1000;
  }

  /** True for a status key of {@code kind} whose component type is {@code type}. */
  static boolean isType(String key, String kind, String type) {
    if (!key.startsWith(kind + type)) {
      return false;
    }
    int end = kind.length() + type.length();
    return key.length() == end || key.charAt(end) == '/' || key.charAt(end) == '[';
  }
}
