package io.tiercel.core.config;

import io.tiercel.core.component.ComponentId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The effective config as the {@code print-config} command shows it: what a loaded {@link
 * ServiceConfig} holds, as a YAML tree and as YAML text.
 */
public final class EffectiveConfig {
  private EffectiveConfig() {}

  /**
   * The effective config: every component's config record (defaults plus user values), the service
   * section and the telemetry settings, as a YAML tree. Every {@link Secret} is shown as {@code
   * [REDACTED]}; durations are in Go syntax. {@link #toYaml} of it loads back to an equal config
   * (secrets aside).
   */
  public static Map<String, Object> tree(ServiceConfig config) {
    Map<String, Object> tree = new LinkedHashMap<>();
    tree.put("receivers", componentsTree(config.receivers()));
    tree.put("processors", componentsTree(config.processors()));
    tree.put("exporters", componentsTree(config.exporters()));
    tree.put("extensions", componentsTree(config.extensions()));
    Map<String, Object> service = new LinkedHashMap<>();
    service.put("extensions", ids(config.serviceExtensions()));
    Map<String, Object> pipelines = new LinkedHashMap<>();
    config
        .pipelines()
        .forEach(
            (id, p) -> {
              Map<String, Object> pt = new LinkedHashMap<>();
              pt.put("receivers", ids(p.receivers()));
              pt.put("processors", ids(p.processors()));
              pt.put("exporters", ids(p.exporters()));
              pipelines.put(id.toString(), pt);
            });
    service.put("pipelines", pipelines);
    TelemetryConfig t = config.telemetry();
    Map<String, Object> prometheus = new LinkedHashMap<>();
    prometheus.put("host", t.metricsHost());
    prometheus.put("port", t.metricsPort());
    Map<String, Object> metrics = new LinkedHashMap<>();
    metrics.put("level", t.metricsLevel());
    List<Object> readers = new ArrayList<>();
    if (t.pullReader()) {
      readers.add(Map.of("pull", Map.of("exporter", Map.of("prometheus", prometheus))));
    }
    for (TelemetryConfig.PeriodicReader r : t.periodicReaders()) {
      readers.add(Map.of("periodic", ConfigBinder.toTree(r.source())));
    }
    metrics.put("readers", readers);
    Map<String, Object> logs = new LinkedHashMap<>();
    logs.put("level", t.logsLevel());
    logs.put("encoding", t.logsEncoding());
    Map<String, Object> telemetry = new LinkedHashMap<>();
    telemetry.put("metrics", metrics);
    telemetry.put("logs", logs);
    service.put("telemetry", telemetry);
    tree.put("service", service);
    return tree;
  }

  /**
   * Renders a tree as block YAML (two-space indent, keys in the tree's order). {@link Secret}s are
   * shown as {@code [REDACTED]}, durations in Go syntax, records as maps; strings that would read
   * back as another type are quoted.
   */
  public static String toYaml(Map<String, Object> tree) {
    return YamlTrees.dump(ConfigBinder.toTreeValue(tree));
  }

  private static Map<String, Object> componentsTree(Map<ComponentId, ComponentConfig> components) {
    Map<String, Object> out = new LinkedHashMap<>();
    components.forEach((id, c) -> out.put(id.toString(), ConfigBinder.toTree(c.config())));
    return out;
  }

  private static List<Object> ids(List<ComponentId> ids) {
    List<Object> out = new ArrayList<>(ids.size());
    for (ComponentId id : ids) {
      out.add(id.toString());
    }
    return out;
  }
}
