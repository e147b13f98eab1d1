package io.tiercel.core.config;

import io.tiercel.core.component.ComponentId;
import io.tiercel.core.component.ComponentRegistry;
import io.tiercel.core.component.ExporterFactory;
import io.tiercel.core.component.ExtensionFactory;
import io.tiercel.core.component.Factory;
import io.tiercel.core.component.Kind;
import io.tiercel.core.component.ProcessorFactory;
import io.tiercel.core.component.ReceiverFactory;
import io.tiercel.core.pdata.Signal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * Loads a collector config: reads the sources, merges them and applies {@code --set} ({@link
 * SourceReader}), expands references ({@link Expander}), binds every component to its factory's
 * config record and validates the whole document, reporting every problem at once as a {@link
 * ConfigException}. {@link EffectiveConfig} prints the result. See the package documentation for
 * the rules and messages. Immutable and thread-safe; does file I/O only in {@link #loadRaw} and
 * {@link #load}.
 */
public final class ConfigLoader {
  private static final List<String> TOP_LEVEL =
      List.of("receivers", "processors", "exporters", "connectors", "extensions", "service");
  private static final List<String> SERVICE_KEYS = List.of("extensions", "pipelines", "telemetry");
  private static final List<String> PIPELINE_KEYS = List.of("receivers", "processors", "exporters");

  private final ComponentRegistry registry;
  private final Function<String, String> env;

  /**
   * A loader for the components of {@code registry}.
   *
   * @param registry the factories known to this build
   * @param env variable lookup, returning null for an unset variable ({@code System::getenv} in
   *     production, a map in tests)
   */
  public ConfigLoader(ComponentRegistry registry, Function<String, String> env) {
    this.registry = Objects.requireNonNull(registry, "registry");
    this.env = Objects.requireNonNull(env, "env");
  }

  /**
   * Reads every config source in order ({@code PATH}, {@code file:PATH}, {@code env:VAR} holding
   * YAML, {@code yaml:a::b::c: value}), deep-merges them (later sources win; maps merge, lists and
   * scalars are replaced), applies each {@code --set a.b.c=value} (or {@code a::b::c=value}) in
   * order, then expands {@code ${...}} in every string value.
   *
   * @return the raw merged tree: insertion-ordered maps, lists, scalars and {@link ExpandedValue}s
   * @throws ConfigException with every problem found (unreadable or empty sources, YAML errors,
   *     duplicate keys, bad {@code --set}, unresolved references)
   */
  public Map<String, Object> loadRaw(List<String> configSources, List<String> sets)
      throws ConfigException {
    Objects.requireNonNull(configSources, "configSources");
    Objects.requireNonNull(sets, "sets");
    List<ConfigError> errors = new ArrayList<>();
    if (configSources.isEmpty()) {
      errors.add(new ConfigError("", "no config source given: pass at least one --config"));
    }
    Map<String, Object> merged = new SourceReader(env, errors).read(configSources, sets);
    if (!errors.isEmpty()) {
      throw new ConfigException(errors);
    }
    @SuppressWarnings("unchecked")
    Map<String, Object> expanded =
        (Map<String, Object>) new Expander(env, errors).expand(merged, "");
    if (!errors.isEmpty()) {
      throw new ConfigException(errors);
    }
    return expanded;
  }

  /** {@link #loadRaw} then {@link #resolve}. */
  public ServiceConfig load(List<String> configSources, List<String> sets) throws ConfigException {
    return resolve(loadRaw(configSources, sets));
  }

  /**
   * Binds every component to its factory's config record (defaults with the YAML laid over) and
   * validates the whole document: sections, ids, types, pipelines and their references, {@code
   * service.extensions} and {@code service.telemetry}.
   *
   * @throws ConfigException with every problem found, each at its YAML path
   */
  public ServiceConfig resolve(Map<String, Object> raw) throws ConfigException {
    Objects.requireNonNull(raw, "raw");
    List<ConfigError> errors = new ArrayList<>();
    for (String key : raw.keySet()) {
      if (!TOP_LEVEL.contains(key)) {
        errors.add(new ConfigError("", unknownKey(key, TOP_LEVEL)));
      }
    }
    Section receivers = components(Kind.RECEIVER, tree(raw.get("receivers")), errors);
    Section processors = components(Kind.PROCESSOR, tree(raw.get("processors")), errors);
    Section exporters = components(Kind.EXPORTER, tree(raw.get("exporters")), errors);
    connectors(tree(raw.get("connectors")), errors);
    Section extensions = components(Kind.EXTENSION, tree(raw.get("extensions")), errors);

    Object service = tree(raw.get("service"));
    Map<?, ?> svc = Map.of();
    if (service instanceof Map<?, ?> m) {
      svc = m;
      for (Object k : m.keySet()) {
        if (!SERVICE_KEYS.contains(String.valueOf(k))) {
          errors.add(new ConfigError("service", unknownKey(k, SERVICE_KEYS)));
        }
      }
    } else if (service != null) {
      errors.add(
          new ConfigError("service", "expected a map, got " + ConfigBinder.describe(service)));
    }
    List<ComponentId> serviceExtensions =
        serviceExtensions(tree(svc.get("extensions")), extensions, errors);
    Map<PipelineId, PipelineConfig> pipelines =
        pipelines(tree(svc.get("pipelines")), receivers, processors, exporters, errors);
    TelemetryConfig telemetry = new TelemetryLoader(registry).load(svc.get("telemetry"), errors);
    if (!errors.isEmpty()) {
      throw new ConfigException(errors);
    }
    return new ServiceConfig(
        Collections.unmodifiableMap(receivers.bound),
        Collections.unmodifiableMap(processors.bound),
        Collections.unmodifiableMap(exporters.bound),
        Collections.unmodifiableMap(extensions.bound),
        List.copyOf(serviceExtensions),
        Collections.unmodifiableMap(pipelines),
        telemetry);
  }

  /**
   * A structural value (section, service, pipeline, id list) that came from a whole-value reference
   * holding a map or list is used as that map or list; component configs keep their {@link
   * ExpandedValue}s for the binder.
   */
  private static Object tree(Object v) {
    return v instanceof ExpandedValue e
            && (e.value() instanceof Map<?, ?> || e.value() instanceof List<?>)
        ? e.value()
        : v;
  }

  /** The components of one section: those bound, and every id configured (bound or not). */
  private record Section(
      Map<ComponentId, ComponentConfig> bound, Map<ComponentId, Factory<?>> ids) {}

  private Section components(Kind kind, Object section, List<ConfigError> errors) {
    Map<ComponentId, ComponentConfig> bound = new LinkedHashMap<>();
    Map<ComponentId, Factory<?>> ids = new LinkedHashMap<>();
    String sectionName = kind.section();
    if (section == null) {
      return new Section(bound, ids);
    }
    if (!(section instanceof Map<?, ?> map)) {
      errors.add(
          new ConfigError(sectionName, "expected a map, got " + ConfigBinder.describe(section)));
      return new Section(bound, ids);
    }
    Map<ComponentId, String> seen = new HashMap<>();
    for (Map.Entry<?, ?> e : map.entrySet()) {
      String key = String.valueOf(e.getKey());
      String path = ConfigBinder.join(sectionName, key);
      ComponentId id;
      try {
        id = ComponentId.parse(key);
      } catch (IllegalArgumentException ex) {
        errors.add(new ConfigError(path, ex.getMessage()));
        continue;
      }
      String prev = seen.putIfAbsent(id, key);
      if (prev != null) {
        errors.add(
            new ConfigError(path, "duplicate id \"" + id + "\" (also written \"" + prev + "\")"));
        continue;
      }
      Factory<?> factory = registry.find(kind, id.type());
      ids.put(id, factory);
      if (factory == null) {
        List<String> offered = registry.typeNames(kind);
        errors.add(
            new ConfigError(
                path,
                registry.withheld(kind, id.type())
                    ? notInDistribution(
                        kind.label(), id.type(), registry.distribution().orElseThrow(), offered)
                    : unknownType(kind.label(), id.type(), offered)));
        continue;
      }
      Record config = bindComponent(factory, e.getValue(), path, errors);
      if (config != null) {
        bound.put(id, new ComponentConfig(id, factory, config));
      }
    }
    return new Section(bound, ids);
  }

  private static <C extends Record> C bindComponent(
      Factory<C> f, Object yaml, String path, List<ConfigError> errors) {
    return ConfigBinder.bind(f.configClass(), f.createDefaultConfig(), yaml, path, errors);
  }

  private static void connectors(Object section, List<ConfigError> errors) {
    if (section == null) {
      return;
    }
    if (!(section instanceof Map<?, ?> map)) {
      errors.add(
          new ConfigError("connectors", "expected a map, got " + ConfigBinder.describe(section)));
      return;
    }
    for (Object k : map.keySet()) {
      String key = String.valueOf(k);
      String path = ConfigBinder.join("connectors", key);
      try {
        ComponentId id = ComponentId.parse(key);
        errors.add(new ConfigError(path, unknownType("connector", id.type(), List.of())));
      } catch (IllegalArgumentException ex) {
        errors.add(new ConfigError(path, ex.getMessage()));
      }
    }
  }

  private static String unknownKey(Object key, List<String> valid) {
    return "unknown key \"" + key + "\"; valid keys are: " + String.join(", ", valid);
  }

  private static String unknownType(String label, String type, List<String> valid) {
    return "unknown "
        + label
        + " type \""
        + type
        + "\"; "
        + (valid.isEmpty()
            ? "this build has no " + label + " types"
            : "valid types are: " + String.join(", ", valid));
  }

  /** A type this build has, left out of the distribution the registry is restricted to. */
  private static String notInDistribution(
      String label, String type, String distribution, List<String> offered) {
    return label
        + " type \""
        + type
        + "\" is not included in this distribution ("
        + distribution
        + "); "
        + (offered.isEmpty()
            ? "it has no " + label + " types"
            : "its " + label + " types are: " + String.join(", ", offered));
  }

  private static List<ComponentId> serviceExtensions(
      Object value, Section extensions, List<ConfigError> errors) {
    String path = "service.extensions";
    return References.check(
        Kind.EXTENSION,
        idList(value, path, errors),
        extensions.ids::containsKey,
        path,
        errors,
        id -> {});
  }

  /** A list of component ids; bad entries are reported at {@code path[i]} and left out. */
  private static List<ComponentId> idList(Object value, String path, List<ConfigError> errors) {
    List<ComponentId> out = new ArrayList<>();
    if (value == null) {
      return out;
    }
    if (!(value instanceof List<?> list)) {
      errors.add(new ConfigError(path, "expected a list, got " + ConfigBinder.describe(value)));
      return out;
    }
    for (int i = 0; i < list.size(); i++) {
      Object o = list.get(i);
      String p = path + "[" + i + "]";
      if (!(o instanceof String s)) {
        errors.add(new ConfigError(p, "expected a component id, got " + ConfigBinder.describe(o)));
        continue;
      }
      try {
        out.add(ComponentId.parse(s));
      } catch (IllegalArgumentException ex) {
        errors.add(new ConfigError(p, ex.getMessage()));
      }
    }
    return out;
  }

  private static Map<PipelineId, PipelineConfig> pipelines(
      Object value,
      Section receivers,
      Section processors,
      Section exporters,
      List<ConfigError> errors) {
    Map<PipelineId, PipelineConfig> out = new LinkedHashMap<>();
    String path = "service.pipelines";
    if (value != null && !(value instanceof Map<?, ?>)) {
      errors.add(new ConfigError(path, "expected a map, got " + ConfigBinder.describe(value)));
      return out;
    }
    Map<?, ?> map = value == null ? Map.of() : (Map<?, ?>) value;
    if (map.isEmpty()) {
      errors.add(new ConfigError(path, "at least one pipeline is required"));
      return out;
    }
    for (Map.Entry<?, ?> e : map.entrySet()) {
      String key = String.valueOf(e.getKey());
      String p = ConfigBinder.join(path, key);
      PipelineId id;
      try {
        id = PipelineId.parse(key);
      } catch (IllegalArgumentException ex) {
        errors.add(new ConfigError(p, ex.getMessage()));
        continue;
      }
      if (out.containsKey(id)) {
        errors.add(new ConfigError(p, "duplicate pipeline id \"" + id + "\""));
        continue;
      }
      Object body = tree(e.getValue());
      if (body != null && !(body instanceof Map<?, ?>)) {
        errors.add(new ConfigError(p, "expected a map, got " + ConfigBinder.describe(body)));
        continue;
      }
      Map<?, ?> bm = body == null ? Map.of() : (Map<?, ?>) body;
      for (Object k : bm.keySet()) {
        if (!PIPELINE_KEYS.contains(String.valueOf(k))) {
          errors.add(new ConfigError(p, unknownKey(k, PIPELINE_KEYS)));
        }
      }
      Object rl = tree(bm.get("receivers"));
      Object xl = tree(bm.get("exporters"));
      List<ComponentId> rs = refs(Kind.RECEIVER, id.signal(), rl, p, receivers, errors);
      List<ComponentId> ps =
          refs(Kind.PROCESSOR, id.signal(), tree(bm.get("processors")), p, processors, errors);
      List<ComponentId> xs = refs(Kind.EXPORTER, id.signal(), xl, p, exporters, errors);
      if (rs.isEmpty() && !(rl instanceof List<?> l && !l.isEmpty())) {
        errors.add(new ConfigError(p, "must have at least one receiver"));
      }
      if (xs.isEmpty() && !(xl instanceof List<?> l && !l.isEmpty())) {
        errors.add(new ConfigError(p, "must have at least one exporter"));
      }
      out.put(id, new PipelineConfig(id, rs, ps, xs));
    }
    return out;
  }

  /** The checked references of one pipeline list, reported at the pipeline's path. */
  private static List<ComponentId> refs(
      Kind kind,
      Signal signal,
      Object value,
      String pipelinePath,
      Section section,
      List<ConfigError> errors) {
    List<ComponentId> ids = idList(value, pipelinePath + "." + kind.section(), errors);
    return References.check(
        kind,
        ids,
        section.ids::containsKey,
        pipelinePath,
        errors,
        id -> {
          Factory<?> f = section.ids.get(id);
          if (f != null && !supports(f, signal)) {
            errors.add(
                new ConfigError(
                    pipelinePath,
                    kind.label() + " \"" + id + "\" does not support the " + signal + " signal"));
          }
        });
  }

  private static boolean supports(Factory<?> f, Signal signal) {
    if (f instanceof ReceiverFactory<?> r) {
      return r.signals().containsKey(signal);
    }
    if (f instanceof ProcessorFactory<?> p) {
      return p.signals().containsKey(signal);
    }
    if (f instanceof ExporterFactory<?> x) {
      return x.signals().containsKey(signal);
    }
    return f instanceof ExtensionFactory<?>;
  }
}
