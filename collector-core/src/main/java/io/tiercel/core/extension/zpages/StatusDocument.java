package io.tiercel.core.extension.zpages;

import io.tiercel.core.component.BuildInfo;
import io.tiercel.core.component.Component;
import io.tiercel.core.component.ComponentId;
import io.tiercel.core.component.LiveStatus;
import io.tiercel.core.component.ServiceView;
import io.tiercel.core.component.StatusRegistry;
import io.tiercel.core.config.EffectiveConfig;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The document served at {@code /api/status} (its fields are listed in the extension's README): the
 * pipeline graph with per-node rates, the Kafka receivers, Kafka exporters and tail-sampling
 * processors, the last warnings and errors, the effective config (secrets redacted), build and
 * uptime. Built per request from the {@link History} the sampler keeps, the service's view and the
 * components' {@link LiveStatus}; it reads no metric itself.
 */
final class StatusDocument {
  private final BuildInfo build;
  private final Instant started;
  private final ServiceView service;
  private final StatusRegistry status;
  private final History history;
  private final RecentLogs logs;

  StatusDocument(
      BuildInfo build,
      Instant started,
      ServiceView service,
      StatusRegistry status,
      History history,
      RecentLogs logs) {
    this.build = build;
    this.started = started;
    this.service = service;
    this.status = status;
    this.history = history;
    this.logs = logs;
  }

  Map<String, Object> build(Instant now) {
    Sample cur = history.latest();
    Sample prev = history.previous();
    Rates r = new Rates(cur, prev);
    Map<String, Object> doc = new LinkedHashMap<>();
    Map<String, Object> b = map("command", build.command(), "description", build.description());
    b.put("version", build.version());
    doc.put("build", b);
    doc.put("time", now.toString());
    doc.put("start_time", started.toString());
    doc.put("uptime_seconds", Duration.between(started, now).toMillis() / 1000.0);
    doc.put("interval_seconds", r.seconds);
    List<ServiceView.Pipeline> pipelines = service.pipelines();
    Map<String, Component> components = service.components();
    doc.put("pipelines", pipelines(pipelines));
    doc.put("graph", graph(pipelines, r));
    doc.put("extensions", extensions(components));
    doc.put("kafka_receivers", KafkaSections.receivers(components, r));
    doc.put("kafka_exporters", KafkaSections.exporters(components, r, history.oldest()));
    doc.put("tail_sampling", TailSamplingSection.of(components, r, history.decisions()));
    doc.put("logs", logs.snapshot());
    doc.put("config", EffectiveConfig.toYaml(service.effectiveConfig()));
    return doc;
  }

  /** Totals of the newest sample and rates against the one before it. */
  static final class Rates {
    final @Nullable Sample cur;
    final @Nullable Sample prev;
    final @Nullable Double seconds;

    Rates(@Nullable Sample cur, @Nullable Sample prev) {
      this.cur = cur;
      this.prev = prev;
      this.seconds =
          cur == null || prev == null || cur.nanos <= prev.nanos
              ? null
              : (cur.nanos - prev.nanos) / 1e9;
    }

    double total(String key) {
      return cur == null ? 0 : cur.get(key);
    }

    /** Per second over the last interval; null before two samples. */
    @Nullable Double rate(String key) {
      if (seconds == null) {
        return null;
      }
      return Math.max(0, cur.get(key) - prev.get(key)) / seconds;
    }

    /** The keys of the newest sample that start with {@code prefix}. */
    List<String> keys(String prefix) {
      List<String> out = new ArrayList<>();
      if (cur != null) {
        for (String k : cur.values.keySet()) {
          if (k.startsWith(prefix)) {
            out.add(k);
          }
        }
      }
      out.sort(null);
      return out;
    }
  }

  private static List<Object> pipelines(List<ServiceView.Pipeline> pipelines) {
    List<Object> out = new ArrayList<>();
    for (ServiceView.Pipeline p : pipelines) {
      Map<String, Object> m = map("id", p.id(), "signal", p.signal());
      m.put("receivers", ids(p.receivers()));
      m.put("processors", ids(p.processors()));
      m.put("exporters", ids(p.exporters()));
      out.add(m);
    }
    return out;
  }

  private Map<String, Object> graph(List<ServiceView.Pipeline> pipelines, Rates r) {
    Map<String, Map<String, Object>> nodes = new LinkedHashMap<>();
    Set<List<String>> edges = new LinkedHashSet<>();
    for (ServiceView.Pipeline p : pipelines) {
      List<String> from = new ArrayList<>();
      for (ComponentId id : p.receivers()) {
        String key = "receiver/" + id;
        nodes.computeIfAbsent(key, k -> receiverNode(k, id, r));
        from.add(key);
      }
      for (ComponentId id : p.processors()) {
        String key = "processor/" + id + "[" + p.id() + "]";
        nodes.computeIfAbsent(key, k -> processorNode(k, id, p, r));
        for (String f : from) {
          edges.add(List.of(f, key));
        }
        from = List.of(key);
      }
      for (ComponentId id : p.exporters()) {
        String key = "exporter/" + id + "[" + p.signal() + "]";
        nodes.computeIfAbsent(key, k -> exporterNode(k, id, p.signal(), r));
        for (String f : from) {
          edges.add(List.of(f, key));
        }
      }
    }
    List<Object> edgeList = new ArrayList<>();
    for (List<String> e : edges) {
      edgeList.add(map("from", e.get(0), "to", e.get(1)));
    }
    Map<String, Object> g = new LinkedHashMap<>();
    g.put("nodes", new ArrayList<>(nodes.values()));
    g.put("edges", edgeList);
    return g;
  }

  private Map<String, Object> receiverNode(String key, ComponentId id, Rates r) {
    String ok = "r.ok|" + id;
    String refused = "r.refused|" + id;
    return node(
        key, "receiver", id, null, null, r, List.of(ok, refused), List.of(ok), refused, null);
  }

  private Map<String, Object> processorNode(
      String key, ComponentId id, ServiceView.Pipeline p, Rates r) {
    String sfx = "|" + id + "|" + p.signal();
    return node(
        key,
        "processor",
        id,
        p.id(),
        p.signal(),
        r,
        List.of("p.in" + sfx),
        List.of("p.out" + sfx),
        "p.refused" + sfx,
        null);
  }

  private Map<String, Object> exporterNode(String key, ComponentId id, String signal, Rates r) {
    String sfx = "|" + id + "|" + signal;
    Map<String, Object> n =
        node(
            key,
            "exporter",
            id,
            null,
            signal,
            r,
            List.of("e.sent" + sfx, "e.failed" + sfx, "e.enqueue_failed" + sfx),
            List.of("e.sent" + sfx),
            "e.enqueue_failed" + sfx,
            "e.failed" + sfx);
    if (r.cur != null && r.cur.values.containsKey("e.capacity" + sfx)) {
      double cap = r.total("e.capacity" + sfx);
      double size = r.total("e.queue" + sfx);
      Map<String, Object> q = map("size", size, "capacity", cap);
      q.put("fill", cap > 0 ? size / cap : null);
      n.put("queue", q);
    }
    return n;
  }

  private Map<String, Object> node(
      String key,
      String kind,
      ComponentId id,
      @Nullable String pipeline,
      @Nullable String signal,
      Rates r,
      List<String> in,
      List<String> out,
      String refused,
      @Nullable String failed) {
    Map<String, Object> n = map("id", key, "kind", kind);
    n.put("component", id.toString());
    n.put("type", id.type());
    n.put("pipeline", pipeline);
    n.put("signal", signal);
    StatusRegistry.Entry e = status.snapshot().get(key);
    n.put("status", e == null ? null : e.status().name());
    n.put("error", e == null ? null : e.error());
    Map<String, Object> totals = map("in", sum(r, in, false), "out", sum(r, out, false));
    totals.put("refused", r.total(refused));
    totals.put("failed", failed == null ? 0.0 : r.total(failed));
    n.put("totals", totals);
    Map<String, Object> rates = map("in", sum(r, in, true), "out", sum(r, out, true));
    rates.put("refused", r.rate(refused));
    rates.put("failed", failed == null ? (r.seconds == null ? null : 0.0) : r.rate(failed));
    n.put("per_second", rates);
    n.put("queue", null);
    return n;
  }

  private static @Nullable Double sum(Rates r, List<String> keys, boolean rate) {
    double s = 0;
    for (String k : keys) {
      Double v = rate ? r.rate(k) : Double.valueOf(r.total(k));
      if (v == null) {
        return null;
      }
      s += v;
    }
    return s;
  }

  private List<Object> extensions(Map<String, Component> components) {
    List<Object> out = new ArrayList<>();
    Map<String, StatusRegistry.Entry> st = status.snapshot();
    for (String key : components.keySet()) {
      if (key.startsWith("extension/")) {
        StatusRegistry.Entry e = st.get(key);
        out.add(
            map(
                "id",
                key.substring("extension/".length()),
                "status",
                e == null ? null : e.status().name()));
      }
    }
    return out;
  }

  static List<Object> ids(List<ComponentId> ids) {
    List<Object> out = new ArrayList<>();
    ids.forEach(i -> out.add(i.toString()));
    return out;
  }

  static Map<String, Object> map(String k1, @Nullable Object v1, String k2, @Nullable Object v2) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put(k1, v1);
    m.put(k2, v2);
    return m;
  }

  /** The live status of a component, or an empty map (a failing component does not fail all). */
  static Map<String, Object> live(Component c) {
    if (!(c instanceof LiveStatus l)) {
      return Map.of();
    }
    try {
      Map<String, Object> m = l.liveStatus();
      return m == null ? Map.of() : m;
    } catch (RuntimeException e) {
      return Map.of("live_status_error", String.valueOf(e));
    }
  }
}
