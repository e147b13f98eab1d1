package io.tiercel.core.service;

import io.tiercel.core.component.ComponentId;
import io.tiercel.core.component.Consumers;
import io.tiercel.core.component.Deadline;
import io.tiercel.core.component.Exporter;
import io.tiercel.core.component.ExporterFactory;
import io.tiercel.core.component.Extension;
import io.tiercel.core.component.ExtensionFactory;
import io.tiercel.core.component.Host;
import io.tiercel.core.component.Processor;
import io.tiercel.core.component.ProcessorFactory;
import io.tiercel.core.component.Receiver;
import io.tiercel.core.component.ReceiverFactory;
import io.tiercel.core.component.Settings;
import io.tiercel.core.component.Stability;
import io.tiercel.core.config.ComponentConfig;
import io.tiercel.core.config.PipelineConfig;
import io.tiercel.core.config.PipelineId;
import io.tiercel.core.config.ServiceConfig;
import io.tiercel.core.config.TelemetryConfig;
import io.tiercel.core.consumer.Context;
import io.tiercel.core.consumer.TelemetryConsumer;
import io.tiercel.core.pdata.Logs;
import io.tiercel.core.pdata.Metrics;
import io.tiercel.core.pdata.OtlpData;
import io.tiercel.core.pdata.Signal;
import io.tiercel.core.pdata.Traces;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/** Hand-written components for graph tests: they record lifecycle events and the data they see. */
final class TestComponents {
  private TestComponents() {}

  /**
   * Config record of every test component; the tag only tells two configs apart (a reload keeps a
   * component whose config is equal).
   */
  record NoConfig(String tag) {
    NoConfig() {
      this("");
    }
  }

  static final Map<Signal, Stability> ALL =
      new EnumMap<>(
          Map.of(
              Signal.TRACES,
              Stability.STABLE,
              Signal.METRICS,
              Stability.BETA,
              Signal.LOGS,
              Stability.ALPHA));

  /**
   * Lifecycle events in the order they happened: {@code start receiver/r1}, {@code shutdown
   * exporter/e[traces]}.
   */
  static final class Events {
    final List<String> list = Collections.synchronizedList(new ArrayList<>());

    void add(String e) {
      list.add(e);
    }

    List<String> snapshot() {
      synchronized (list) {
        return List.copyOf(list);
      }
    }
  }

  /** Behaviour shared by the lifecycle of every test component. */
  abstract static class Base {
    final Events events;
    final String name;
    volatile Exception failStart;
    volatile Exception failShutdown;
    volatile Host host;

    Base(Events events, String name) {
      this.events = events;
      this.name = name;
    }

    public void start(Host h) throws Exception {
      events.add("start " + name);
      host = h;
      if (failStart != null) {
        throw failStart;
      }
    }

    public void shutdown(Deadline d) throws Exception {
      events.add("shutdown " + name);
      if (failShutdown != null) {
        throw failShutdown;
      }
    }
  }

  // ---------------------------------------------------------------- exporter

  static class TestExporter<T extends OtlpData> extends Base implements Exporter<T> {
    final List<T> received = new CopyOnWriteArrayList<>();
    final boolean mutates;
    volatile Function<T, CompletableFuture<Void>> behaviour = d -> TelemetryConsumer.done();

    TestExporter(Events events, String name, boolean mutates) {
      super(events, name);
      this.mutates = mutates;
    }

    @Override
    public CompletableFuture<Void> consume(Context ctx, T data) {
      received.add(data);
      return behaviour.apply(data);
    }

    @Override
    public boolean mutatesData() {
      return mutates;
    }
  }

  static class ExporterF implements ExporterFactory<NoConfig> {
    final Events events;
    final boolean mutates;
    final Map<Signal, TestExporter<?>> created = new LinkedHashMap<>();
    Exception failStart;
    Exception failShutdown;

    ExporterF(Events events, boolean mutates) {
      this.events = events;
      this.mutates = mutates;
    }

    @SuppressWarnings("unchecked")
    <T extends OtlpData> TestExporter<T> get(Signal s) {
      return (TestExporter<T>) created.get(s);
    }

    private <T extends OtlpData> TestExporter<T> make(Settings s) {
      TestExporter<T> e =
          new TestExporter<>(events, "exporter/" + s.id() + "[" + s.signal() + "]", mutates);
      e.failStart = failStart;
      e.failShutdown = failShutdown;
      created.put(s.signal(), e);
      return e;
    }

    @Override
    public String type() {
      return "texp";
    }

    @Override
    public Class<NoConfig> configClass() {
      return NoConfig.class;
    }

    @Override
    public NoConfig createDefaultConfig() {
      return new NoConfig();
    }

    @Override
    public Map<Signal, Stability> signals() {
      return ALL;
    }

    @Override
    public Exporter<Traces> createTraces(Settings settings, NoConfig config) {
      return make(settings);
    }

    @Override
    public Exporter<Metrics> createMetrics(Settings settings, NoConfig config) {
      return make(settings);
    }

    @Override
    public Exporter<Logs> createLogs(Settings settings, NoConfig config) {
      return make(settings);
    }
  }

  // ---------------------------------------------------------------- processor

  static final class TestProcessor<T extends OtlpData> extends Base implements Processor<T> {
    final TelemetryConsumer<T> next;
    final boolean mutates;
    final List<T> received = new CopyOnWriteArrayList<>();

    TestProcessor(Events events, String name, TelemetryConsumer<T> next, boolean mutates) {
      super(events, name);
      this.next = next;
      this.mutates = mutates;
    }

    @Override
    public CompletableFuture<Void> consume(Context ctx, T data) {
      received.add(data);
      return next.consume(ctx, data);
    }

    @Override
    public boolean mutatesData() {
      return mutates;
    }
  }

  static final class ProcessorF implements ProcessorFactory<NoConfig> {
    final Events events;
    final boolean mutates;
    final List<TestProcessor<Traces>> created = new ArrayList<>();
    Exception failStart;

    ProcessorF(Events events, boolean mutates) {
      this.events = events;
      this.mutates = mutates;
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private <T extends OtlpData> TestProcessor<T> make(Settings s, TelemetryConsumer<T> next) {
      TestProcessor<T> p =
          new TestProcessor<>(
              events, "processor/" + s.id() + "[" + s.signal() + "]", next, mutates);
      p.failStart = failStart;
      created.add((TestProcessor) p);
      return p;
    }

    @Override
    public String type() {
      return "tproc";
    }

    @Override
    public Class<NoConfig> configClass() {
      return NoConfig.class;
    }

    @Override
    public NoConfig createDefaultConfig() {
      return new NoConfig();
    }

    @Override
    public Map<Signal, Stability> signals() {
      return Map.of(Signal.TRACES, Stability.BETA, Signal.LOGS, Stability.BETA);
    }

    @Override
    public Processor<Traces> createTraces(
        Settings settings, NoConfig config, TelemetryConsumer<Traces> next) {
      return make(settings, next);
    }

    @Override
    public Processor<Logs> createLogs(
        Settings settings, NoConfig config, TelemetryConsumer<Logs> next) {
      return make(settings, next);
    }
  }

  // ---------------------------------------------------------------- receiver

  static final class TestReceiver extends Base implements Receiver {
    final Consumers next;

    TestReceiver(Events events, String name, Consumers next) {
      super(events, name);
      this.next = next;
    }

    CompletableFuture<Void> push(Traces t) {
      return next.traces().consume(Context.EMPTY, t);
    }
  }

  static final class ReceiverF implements ReceiverFactory<NoConfig> {
    final Events events;
    TestReceiver created;
    Exception failStart;
    Exception failShutdown;

    ReceiverF(Events events) {
      this.events = events;
    }

    @Override
    public String type() {
      return "trecv";
    }

    @Override
    public Class<NoConfig> configClass() {
      return NoConfig.class;
    }

    @Override
    public NoConfig createDefaultConfig() {
      return new NoConfig();
    }

    @Override
    public Map<Signal, Stability> signals() {
      return ALL;
    }

    @Override
    public String transport() {
      return "test";
    }

    @Override
    public Receiver create(Settings settings, NoConfig config, Consumers next) {
      created = new TestReceiver(events, "receiver/" + settings.id(), next);
      created.failStart = failStart;
      created.failShutdown = failShutdown;
      return created;
    }
  }

  // ---------------------------------------------------------------- extension

  static class TestExtension extends Base implements Extension {
    TestExtension(Events events, String name) {
      super(events, name);
    }
  }

  static class ExtensionF implements ExtensionFactory<NoConfig> {
    final Events events;
    TestExtension created;

    ExtensionF(Events events) {
      this.events = events;
    }

    @Override
    public String type() {
      return "text";
    }

    @Override
    public Class<NoConfig> configClass() {
      return NoConfig.class;
    }

    @Override
    public NoConfig createDefaultConfig() {
      return new NoConfig();
    }

    @Override
    public Stability stability() {
      return Stability.DEVELOPMENT;
    }

    @Override
    public Extension create(Settings settings, NoConfig config) {
      created = new TestExtension(events, "extension/" + settings.id());
      return created;
    }
  }

  // ---------------------------------------------------------------- config

  /** Builds a {@link ServiceConfig} by hand. */
  static final class ConfigBuilder {
    final Map<ComponentId, ComponentConfig> receivers = new LinkedHashMap<>();
    final Map<ComponentId, ComponentConfig> processors = new LinkedHashMap<>();
    final Map<ComponentId, ComponentConfig> exporters = new LinkedHashMap<>();
    final Map<ComponentId, ComponentConfig> extensions = new LinkedHashMap<>();
    final List<ComponentId> serviceExtensions = new ArrayList<>();
    final Map<PipelineId, PipelineConfig> pipelines = new LinkedHashMap<>();
    TelemetryConfig telemetry = new TelemetryConfig("none", "localhost", 0, "info", "console");

    ConfigBuilder receiver(String id, ReceiverFactory<?> f) {
      ComponentId c = ComponentId.parse(id);
      receivers.put(c, new ComponentConfig(c, f, new NoConfig()));
      return this;
    }

    ConfigBuilder processor(String id, ProcessorFactory<?> f) {
      return processor(id, f, "");
    }

    ConfigBuilder processor(String id, ProcessorFactory<?> f, String tag) {
      ComponentId c = ComponentId.parse(id);
      processors.put(c, new ComponentConfig(c, f, new NoConfig(tag)));
      return this;
    }

    ConfigBuilder receiver(String id, ReceiverFactory<?> f, String tag) {
      ComponentId c = ComponentId.parse(id);
      receivers.put(c, new ComponentConfig(c, f, new NoConfig(tag)));
      return this;
    }

    ConfigBuilder exporter(String id, ExporterFactory<?> f, String tag) {
      ComponentId c = ComponentId.parse(id);
      exporters.put(c, new ComponentConfig(c, f, new NoConfig(tag)));
      return this;
    }

    ConfigBuilder exporter(String id, ExporterFactory<?> f) {
      ComponentId c = ComponentId.parse(id);
      exporters.put(c, new ComponentConfig(c, f, new NoConfig()));
      return this;
    }

    ConfigBuilder extension(String id, ExtensionFactory<?> f, Record config) {
      ComponentId c = ComponentId.parse(id);
      extensions.put(c, new ComponentConfig(c, f, config));
      serviceExtensions.add(c);
      return this;
    }

    /** {@code pipeline("traces/a", "r1 r2", "p1", "e1 e2")}: space-separated ids, "" for none. */
    ConfigBuilder pipeline(String id, String receivers, String processors, String exporters) {
      PipelineId p = PipelineId.parse(id);
      pipelines.put(p, new PipelineConfig(p, ids(receivers), ids(processors), ids(exporters)));
      return this;
    }

    ConfigBuilder metricsOn(String host, int port) {
      telemetry = new TelemetryConfig("normal", host, port, "info", "console");
      return this;
    }

    private static List<ComponentId> ids(String s) {
      List<ComponentId> l = new ArrayList<>();
      for (String x : s.trim().split("\\s+")) {
        if (!x.isEmpty()) {
          l.add(ComponentId.parse(x));
        }
      }
      return l;
    }

    ServiceConfig build() {
      return new ServiceConfig(
          receivers, processors, exporters, extensions, serviceExtensions, pipelines, telemetry);
    }
  }
}
