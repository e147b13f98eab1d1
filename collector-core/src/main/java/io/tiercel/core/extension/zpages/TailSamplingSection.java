package io.tiercel.core.extension.zpages;

import static io.tiercel.core.extension.zpages.StatusDocument.map;

import io.tiercel.core.component.Component;
import io.tiercel.core.extension.zpages.StatusDocument.Rates;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The {@code tail_sampling} section, one entry per processor id: traces held, late spans, and the
 * decisions per policy as a time series ({@link #BUCKET_SAMPLES} one-second samples a point, over
 * the {@link History} kept), from the {@code otelcol_processor_tail_sampling_*} metrics and the
 * processor's {@code LiveStatus} (its policies in order, its limits).
 */
final class TailSamplingSection {
  static final int BUCKET_SAMPLES = 10;

  private TailSamplingSection() {}

  static List<Object> of(
      Map<String, Component> components, Rates r, List<History.Decisions> decisions) {
    List<Object> out = new ArrayList<>();
    Set<String> seen = new LinkedHashSet<>();
    components.forEach(
        (key, c) -> {
          if (!KafkaSections.isType(key, "processor/", "tail_sampling")) {
            return;
          }
          String id = key.substring("processor/".length(), key.indexOf('['));
          if (!seen.add(id)) {
            return; // one processor id in several pipelines shares its metrics
          }
          Map<String, Object> live = StatusDocument.live(c);
          Map<String, Object> m = new LinkedHashMap<>();
          m.put("id", id);
          m.putAll(live);
          m.put("traces_held", r.total("ts.held|" + id));
          m.put(
              "late_spans",
              map("total", r.total("ts.late|" + id), "per_second", r.rate("ts.late|" + id)));
          Set<String> policies = new LinkedHashSet<>();
          if (live.get("policies") instanceof List<?> l) {
            l.forEach(p -> policies.add(String.valueOf(p)));
          }
          String prefix = "ts.policy|" + id + "|";
          for (String k : r.keys(prefix)) {
            policies.add(
                k.substring(prefix.length() + k.substring(prefix.length()).indexOf('|') + 1));
          }
          m.put("policies", new ArrayList<>(policies));
          Map<String, Object> totals = new LinkedHashMap<>();
          for (String p : policies) {
            totals.put(
                p,
                map(
                    "sampled",
                    r.total(prefix + "true|" + p),
                    "not_sampled",
                    r.total(prefix + "false|" + p)));
          }
          m.put("decisions_total", totals);
          m.put("decisions", series(prefix, policies, decisions));
          out.add(m);
        });
    return out;
  }

  /**
   * Points of {@link #BUCKET_SAMPLES} samples each, oldest first: {@code seconds_ago} (of the
   * point's end) and per policy the traces sampled and not sampled in that span.
   */
  private static Map<String, Object> series(
      String prefix, Set<String> policies, List<History.Decisions> decisions) {
    List<Object> points = new ArrayList<>();
    if (!decisions.isEmpty()) {
      long end = decisions.get(decisions.size() - 1).nanos();
      // walk back from the newest so the last point always ends now
      List<Object> reversed = new ArrayList<>();
      for (int hi = decisions.size() - 1; hi - BUCKET_SAMPLES >= 0; hi -= BUCKET_SAMPLES) {
        History.Decisions a = decisions.get(hi - BUCKET_SAMPLES);
        History.Decisions b = decisions.get(hi);
        Map<String, Object> sampled = new LinkedHashMap<>();
        Map<String, Object> notSampled = new LinkedHashMap<>();
        for (String p : policies) {
          sampled.put(p, delta(a, b, prefix + "true|" + p));
          notSampled.put(p, delta(a, b, prefix + "false|" + p));
        }
        Map<String, Object> point =
            map(
                "seconds_ago",
                Math.round((end - b.nanos()) / 1e9),
                "seconds",
                (b.nanos() - a.nanos()) / 1e9);
        point.put("sampled", sampled);
        point.put("not_sampled", notSampled);
        reversed.add(point);
      }
      for (int i = reversed.size() - 1; i >= 0; i--) {
        points.add(reversed.get(i));
      }
    }
    Map<String, Object> m = map("bucket_seconds", BUCKET_SAMPLES, "points", points);
    return m;
  }

  private static double delta(History.Decisions a, History.Decisions b, String key) {
    return Math.max(0, b.counters().getOrDefault(key, 0.0) - a.counters().getOrDefault(key, 0.0));
  }
}
