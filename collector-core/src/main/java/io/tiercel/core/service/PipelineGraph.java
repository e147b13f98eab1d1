package io.tiercel.core.service;

import io.tiercel.core.component.Component;
import io.tiercel.core.component.ComponentId;
import io.tiercel.core.component.Consumers;
import io.tiercel.core.component.Exporter;
import io.tiercel.core.component.ExporterFactory;
import io.tiercel.core.component.Extension;
import io.tiercel.core.component.ExtensionFactory;
import io.tiercel.core.component.Factory;
import io.tiercel.core.component.Kind;
import io.tiercel.core.component.Processor;
import io.tiercel.core.component.ProcessorFactory;
import io.tiercel.core.component.Receiver;
import io.tiercel.core.component.ReceiverFactory;
import io.tiercel.core.component.Settings;
import io.tiercel.core.component.SignalNotSupportedException;
import io.tiercel.core.config.ComponentConfig;
import io.tiercel.core.config.PipelineConfig;
import io.tiercel.core.config.PipelineId;
import io.tiercel.core.config.ServiceConfig;
import io.tiercel.core.consumer.Context;
import io.tiercel.core.consumer.TelemetryConsumer;
import io.tiercel.core.pdata.OtlpData;
import io.tiercel.core.pdata.Signal;
import io.tiercel.core.telemetry.MetricsRegistry;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;

/**
 * The pipeline graph of one {@link ServiceConfig}, as {@link Service} describes it: creates every
 * component through its factory (no I/O), wires processors and exporters per pipeline, fans each
 * receiver out to the pipelines that list it, and wraps components with their internal metrics.
 * Every creation error is collected (a failed component leaves a partial graph); the service starts
 * nothing unless there is none. Used once, by one thread.
 *
 * <p>On a reload the graph is built over the running one: a component whose status key (kind, id,
 * signal or pipeline) and config record are unchanged is kept, not created, and its outgoing {@link
 * Link}s are re-pointed to the new graph by {@link #rewire()}. A receiver is kept only when it also
 * feeds the same signals; when an extension changed or went, only the unchanged extensions are kept
 * (a component may hold what it looked up from an extension at start).
 */
final class PipelineGraph {
  /**
   * A built component under its status key ({@code exporter/<id>[<signal>]}, ...), the config it
   * was made from, and the links it sends through (per signal: a processor's next hop, a receiver's
   * pipelines; none for exporters and extensions).
   */
  record Node(String key, Component component, Record config, Map<Signal, Link<OtlpData>> links) {}

  /** The settings the service hands one component instance (its logger, metrics, shared state). */
  interface SettingsMaker {
    Settings settings(Kind kind, ComponentId id, @Nullable Signal signal);
  }

  private record ExporterKey(ComponentId id, Signal signal) {}

  private final ServiceConfig config;
  private final MetricsRegistry metrics;
  private final SettingsMaker settingsMaker;
  private final List<LifecycleError> errors;
  private final List<Node> extNodes = new ArrayList<>();
  private final List<Node> expNodes = new ArrayList<>();
  private final List<Node> procNodes = new ArrayList<>();
  private final List<Node> recvNodes = new ArrayList<>();
  private final Map<ExporterKey, TelemetryConsumer<OtlpData>> exporters = new LinkedHashMap<>();
  private final Map<String, Node> running;
  private final Set<Node> kept = new HashSet<>();
  private final Map<Link<OtlpData>, TelemetryConsumer<OtlpData>> moves = new LinkedHashMap<>();
  private Map<ComponentId, Extension> extensions = Map.of();
  private boolean keepDependents;

  /** A graph built from scratch. */
  PipelineGraph(
      ServiceConfig config,
      MetricsRegistry metrics,
      SettingsMaker settingsMaker,
      List<LifecycleError> errors) {
    this(config, metrics, settingsMaker, errors, List.of());
  }

  /** A graph built over {@code running}, keeping its unchanged components. */
  PipelineGraph(
      ServiceConfig config,
      MetricsRegistry metrics,
      SettingsMaker settingsMaker,
      List<LifecycleError> errors,
      List<Node> running) {
    this.config = config;
    this.metrics = metrics;
    this.settingsMaker = settingsMaker;
    this.errors = errors;
    this.running = new LinkedHashMap<>();
    running.forEach(n -> this.running.put(n.key(), n));
  }

  /** The running components this graph kept (same instances), after {@link #build()}. */
  Set<Node> kept() {
    return Collections.unmodifiableSet(kept);
  }

  /** Points the kept components' links at the new graph; call once its new parts run. */
  void rewire() {
    moves.forEach(Link::pointTo);
  }

  /** The running node under {@code key} when it may be kept with config {@code cc}, else null. */
  private @Nullable Node keep(String key, ComponentConfig cc, boolean dependent) {
    Node n = running.get(key);
    if (n == null || (dependent && !keepDependents) || !n.config().equals(cc.config())) {
      return null;
    }
    kept.add(n);
    return n;
  }

  /** The extensions created by {@link #build()}, by id. */
  Map<ComponentId, Extension> extensions() {
    return extensions;
  }

  /** Creates every component and wires them; returns them in start order (or a partial graph). */
  List<Node> build() {
    Map<ComponentId, Extension> ext = new LinkedHashMap<>();
    int keptExtensions = 0;
    for (ComponentId id : config.serviceExtensions()) {
      String key = "extension/" + id;
      ComponentConfig cc = config.extensions().get(id);
      Node old = keep(key, cc, false);
      if (old != null) {
        keptExtensions++;
        ext.put(id, (Extension) old.component());
        extNodes.add(old);
        continue;
      }
      Extension e =
          create(key, () -> createExtension(cc, settingsMaker.settings(Kind.EXTENSION, id, null)));
      if (e != null) {
        ext.put(id, e);
        extNodes.add(new Node(key, e, cc.config(), Map.of()));
      }
    }
    extensions = Collections.unmodifiableMap(ext);
    long runningExtensions =
        running.keySet().stream().filter(k -> k.startsWith("extension/")).count();
    keepDependents = keptExtensions == runningExtensions;

    Map<PipelineId, TelemetryConsumer<OtlpData>> entries = new LinkedHashMap<>();
    for (PipelineConfig p : config.pipelines().values()) {
      TelemetryConsumer<OtlpData> entry = pipeline(p);
      if (entry != null) {
        entries.put(p.id(), entry);
      }
    }

    // receiver id -> signal -> entries of the pipelines that list it, in pipeline order
    Map<ComponentId, Map<Signal, List<TelemetryConsumer<OtlpData>>>> feeds = new LinkedHashMap<>();
    boolean complete = entries.size() == config.pipelines().size();
    for (PipelineConfig p : config.pipelines().values()) {
      for (ComponentId r : p.receivers()) {
        List<TelemetryConsumer<OtlpData>> l =
            feeds
                .computeIfAbsent(r, k -> new EnumMap<>(Signal.class))
                .computeIfAbsent(p.id().signal(), k -> new ArrayList<>());
        if (entries.containsKey(p.id())) {
          l.add(entries.get(p.id()));
        }
      }
    }
    feeds.forEach((id, bySignal) -> receiver(id, bySignal, complete));
    List<Node> all = new ArrayList<>(extNodes);
    all.addAll(expNodes);
    all.addAll(procNodes);
    all.addAll(recvNodes);
    return all;
  }

  /** Builds one pipeline; returns its entry, or null when a component of it failed. */
  private TelemetryConsumer<OtlpData> pipeline(PipelineConfig p) {
    Signal sig = p.id().signal();
    List<TelemetryConsumer<OtlpData>> exps = new ArrayList<>();
    boolean ok = true;
    for (ComponentId id : p.exporters()) {
      TelemetryConsumer<OtlpData> e = exporter(id, sig);
      ok &= e != null;
      if (e != null) {
        exps.add(e);
      }
    }
    if (exps.isEmpty()) {
      if (ok) {
        errors.add(
            new LifecycleError(
                "pipeline/" + p.id(),
                new IllegalArgumentException(
                    "pipeline \"" + p.id() + "\" must have at least one exporter")));
      }
      return null;
    }
    TelemetryConsumer<OtlpData> next = FanOut.of(exps);
    boolean mutates = next.mutatesData();
    List<Node> mine = new ArrayList<>();
    for (int i = p.processors().size() - 1; i >= 0; i--) {
      ComponentId id = p.processors().get(i);
      String key = "processor/" + id + "[" + p.id() + "]";
      ComponentConfig cc = config.processors().get(id);
      Node old = keep(key, cc, true);
      Processor<OtlpData> proc;
      if (old != null) {
        @SuppressWarnings("unchecked")
        Processor<OtlpData> running = (Processor<OtlpData>) old.component();
        proc = running;
        moves.put(old.links().get(sig), next);
        mine.add(old);
      } else {
        Link<OtlpData> link = new Link<>(next);
        TelemetryConsumer<OtlpData> out = Instruments.processorOutgoing(metrics, id, sig, link);
        proc =
            create(
                key,
                () ->
                    createProcessor(cc, settingsMaker.settings(Kind.PROCESSOR, id, sig), sig, out));
        if (proc == null) {
          ok = false;
          continue;
        }
        mine.add(new Node(key, proc, cc.config(), Map.of(sig, link)));
      }
      mutates |= proc.mutatesData();
      next = Instruments.processorIncoming(metrics, id, sig, proc, mutates);
    }
    procNodes.addAll(mine); // downstream first
    if (!ok) {
      return null;
    }
    return mutates && !next.mutatesData() ? mutating(next) : next;
  }

  private TelemetryConsumer<OtlpData> exporter(ComponentId id, Signal sig) {
    ExporterKey k = new ExporterKey(id, sig);
    if (exporters.containsKey(k)) {
      return exporters.get(k);
    }
    String key = "exporter/" + id + "[" + sig + "]";
    ComponentConfig cc = config.exporters().get(id);
    TelemetryConsumer<OtlpData> wrapped = null;
    Node old = keep(key, cc, true);
    @SuppressWarnings("unchecked")
    Exporter<OtlpData> e =
        old != null
            ? (Exporter<OtlpData>) old.component()
            : create(
                key, () -> createExporter(cc, settingsMaker.settings(Kind.EXPORTER, id, sig), sig));
    if (e != null) {
      expNodes.add(old != null ? old : new Node(key, e, cc.config(), Map.of()));
      // an ExporterHelper-based exporter counts sent/send_failed itself (its queue acknowledges
      // early)
      wrapped = e.reportsOwnMetrics() ? e : Instruments.exporter(metrics, id, sig, e);
    }
    exporters.put(k, wrapped);
    return wrapped;
  }

  /**
   * Creates a receiver; when {@code create} is false (a pipeline is broken) only checks its
   * signals.
   */
  private void receiver(
      ComponentId id, Map<Signal, List<TelemetryConsumer<OtlpData>>> feeds, boolean create) {
    String key = "receiver/" + id;
    ComponentConfig cc = config.receivers().get(id);
    if (!(cc.factory() instanceof ReceiverFactory<?> f)) {
      errors.add(
          new LifecycleError(
              key,
              new IllegalArgumentException(
                  "factory " + cc.factory().getClass().getName() + " is not a receiver factory")));
      return;
    }
    boolean supported = true;
    for (Signal sig : feeds.keySet()) {
      if (!f.signals().containsKey(sig)) {
        errors.add(new LifecycleError(key, new SignalNotSupportedException(f.type(), sig)));
        supported = false;
      }
    }
    if (!create || !supported) {
      return;
    }
    Node old = running.get(key);
    if (old != null && old.links().keySet().equals(feeds.keySet()) && keep(key, cc, true) != null) {
      feeds.forEach((sig, l) -> moves.put(old.links().get(sig), FanOut.of(l)));
      recvNodes.add(old);
      return;
    }
    EnumMap<Signal, TelemetryConsumer<? extends OtlpData>> c = new EnumMap<>(Signal.class);
    EnumMap<Signal, Link<OtlpData>> links = new EnumMap<>(Signal.class);
    feeds.forEach(
        (sig, l) -> {
          Link<OtlpData> link = new Link<>(FanOut.of(l));
          links.put(sig, link);
          c.put(sig, Instruments.receiver(metrics, id, f.transport(), sig, link));
        });
    @SuppressWarnings({"unchecked", "rawtypes"})
    Consumers consumers =
        new Consumers(
            (TelemetryConsumer) c.get(Signal.TRACES),
            (TelemetryConsumer) c.get(Signal.METRICS),
            (TelemetryConsumer) c.get(Signal.LOGS),
            (TelemetryConsumer) c.get(Signal.PROFILES));
    Receiver r =
        create(
            key,
            () -> createReceiver(cc, settingsMaker.settings(Kind.RECEIVER, id, null), consumers));
    if (r != null) {
      recvNodes.add(new Node(key, r, cc.config(), Collections.unmodifiableMap(links)));
    }
  }

  private <C> C create(String key, java.util.function.Supplier<C> factoryCall) {
    try {
      C c = factoryCall.get();
      if (c == null) {
        throw new IllegalStateException("factory returned null");
      }
      return c;
    } catch (RuntimeException | LinkageError e) {
      errors.add(new LifecycleError(key, e));
      return null;
    }
  }

  private static <T extends OtlpData> TelemetryConsumer<T> mutating(TelemetryConsumer<T> c) {
    return new TelemetryConsumer<>() {
      @Override
      public CompletableFuture<Void> consume(Context ctx, T data) {
        return c.consume(ctx, data);
      }

      @Override
      public boolean mutatesData() {
        return true;
      }
    };
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static Extension createExtension(ComponentConfig cc, Settings s) {
    return ((ExtensionFactory) expect(cc, ExtensionFactory.class)).create(s, cc.config());
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static Exporter<OtlpData> createExporter(ComponentConfig cc, Settings s, Signal sig) {
    ExporterFactory f = expect(cc, ExporterFactory.class);
    return switch (sig) {
      case TRACES -> f.createTraces(s, cc.config());
      case METRICS -> f.createMetrics(s, cc.config());
      case LOGS -> f.createLogs(s, cc.config());
      case PROFILES -> f.createProfiles(s, cc.config());
    };
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static Processor<OtlpData> createProcessor(
      ComponentConfig cc, Settings s, Signal sig, TelemetryConsumer<OtlpData> next) {
    ProcessorFactory f = expect(cc, ProcessorFactory.class);
    return switch (sig) {
      case TRACES -> f.createTraces(s, cc.config(), (TelemetryConsumer) next);
      case METRICS -> f.createMetrics(s, cc.config(), (TelemetryConsumer) next);
      case LOGS -> f.createLogs(s, cc.config(), (TelemetryConsumer) next);
      case PROFILES -> f.createProfiles(s, cc.config(), (TelemetryConsumer) next);
    };
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static Receiver createReceiver(ComponentConfig cc, Settings s, Consumers next) {
    return ((ReceiverFactory) expect(cc, ReceiverFactory.class)).create(s, cc.config(), next);
  }

  private static <F extends Factory<?>> F expect(ComponentConfig cc, Class<F> kind) {
    if (!kind.isInstance(cc.factory())) {
      throw new IllegalArgumentException(
          "factory "
              + cc.factory().getClass().getName()
              + " of \""
              + cc.id()
              + "\" is not a "
              + kind.getSimpleName());
    }
    return kind.cast(cc.factory());
  }
}
