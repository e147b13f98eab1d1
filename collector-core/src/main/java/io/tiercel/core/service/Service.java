package io.tiercel.core.service;

import io.tiercel.core.component.BuildInfo;
import io.tiercel.core.component.Component;
import io.tiercel.core.component.ComponentId;
import io.tiercel.core.component.Consumers;
import io.tiercel.core.component.Deadline;
import io.tiercel.core.component.Extension;
import io.tiercel.core.component.Host;
import io.tiercel.core.component.Kind;
import io.tiercel.core.component.ServiceView;
import io.tiercel.core.component.Settings;
import io.tiercel.core.component.SharedComponents;
import io.tiercel.core.component.StatusRegistry;
import io.tiercel.core.component.StatusRegistry.Status;
import io.tiercel.core.config.ConfigException;
import io.tiercel.core.config.EffectiveConfig;
import io.tiercel.core.config.ServiceConfig;
import io.tiercel.core.config.TelemetryConfig;
import io.tiercel.core.featuregate.FeatureGates;
import io.tiercel.core.pdata.Signal;
import io.tiercel.core.service.PipelineGraph.Node;
import io.tiercel.core.telemetry.MetricsEndpoint;
import io.tiercel.core.telemetry.MetricsRegistry;
import io.tiercel.core.telemetry.ProcessMetrics;
import io.tiercel.core.util.DaemonThreads;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running collector: the pipeline graph built from a {@link ServiceConfig}, its lifecycle, and
 * its internal telemetry.
 *
 * <p>The graph (the OpenTelemetry Collector's):
 *
 * <ul>
 *   <li>one instance per extension listed in {@code service.extensions};
 *   <li>one exporter per (exporter id, signal), shared by every pipeline of that signal that lists
 *       it;
 *   <li>one processor per (processor id, pipeline), chained in the pipeline's order;
 *   <li>one receiver per receiver id, created with a {@link Consumers} holding per signal the
 *       fan-out to every pipeline of that signal that lists it. Several receivers feeding one
 *       pipeline share its entry (fan-in).
 * </ul>
 *
 * A fan-out completes when all branches completed and fails when any failed (permanent if any
 * failure is permanent); it copies the data only for branches that mutate it. A pipeline whose
 * processors (or single exporter) mutate data reports a mutating entry, so the receiver's fan-out
 * hands it its own copy.
 *
 * <p>The references are the config's concern: a {@link ServiceConfig} names only configured
 * components, each once (checked where it is made, with the config loader's messages).
 *
 * <p>Lifecycle: {@link #build()} creates every component (no I/O; {@code validate} stops there);
 * {@link #start()} starts the metrics endpoint, then extensions, exporters, processors (downstream
 * first) and receivers; {@link #shutdown(Duration)} stops them in the reverse order within a
 * deadline and returns every error. A failure during start shuts down what was started and throws a
 * {@link ServiceException} naming the component that failed and why. {@link #reload} swaps the
 * running graph for a new config's, keeping the unchanged components running ({@link GraphSwap}).
 *
 * <p>Every component's status is reported to {@link #status()} under a key: {@code extension/<id>},
 * {@code exporter/<id>[<signal>]}, {@code processor/<id>[<pipeline id>]}, {@code receiver/<id>};
 * the lifecycle reports STARTING, OK, STOPPING, STOPPED and PERMANENT_ERROR (start or shutdown
 * failed); components may report their own errors under the same key through {@link Host#status()}.
 *
 * <p>Thread-safe: {@code start} and {@code shutdown} may be called from different threads (a JVM
 * shutdown hook).
 */
public final class Service {
  private static final Logger LOG = LoggerFactory.getLogger(Service.class);

  /** Time a component still gets to shut down once the overall deadline has passed. */
  private static final Duration GRACE = Duration.ofMillis(50);

  private enum State {
    NEW,
    BUILT,
    RUNNING,
    STOPPED
  }

  private final BuildInfo build;
  private final MetricsRegistry metrics;
  private final Clock clock;
  private final StatusRegistry status = new StatusRegistry();
  private final SharedComponents shared;
  private final CountDownLatch stopped = new CountDownLatch(1);
  private final Object lock = new Object();
  private final Reloads reloads;

  // guarded by lock
  private volatile ServiceConfig config; // also read by the service view from any thread
  private State state = State.NEW;
  private List<Node> nodes = List.of();
  private volatile List<Node> builtNodes = List.of(); // read by the service view from any thread
  private volatile Map<ComponentId, Extension> extensions =
      Map.of(); // read by components from any thread
  private final List<Node> started = new ArrayList<>();
  private volatile MetricsEndpoint metricsEndpoint;
  private PeriodicReaders periodicReaders; // guarded by lock
  private List<LifecycleError> shutdownErrors;

  /**
   * A service for {@code config}; nothing is created until {@link #build()} or {@link #start()}.
   *
   * @param metrics the registry the components count into (and the metrics endpoint serves)
   * @param clock the clock handed to components
   */
  public Service(ServiceConfig config, BuildInfo build, MetricsRegistry metrics, Clock clock) {
    this(config, build, metrics, clock, FeatureGates.defaults());
  }

  /**
   * A service for {@code config} whose components see {@code gates} (the command line's {@code
   * --feature-gates}) through their settings.
   */
  public Service(
      ServiceConfig config,
      BuildInfo build,
      MetricsRegistry metrics,
      Clock clock,
      FeatureGates gates) {
    this.config = Objects.requireNonNull(config, "config");
    this.build = Objects.requireNonNull(build, "build");
    this.metrics = Objects.requireNonNull(metrics, "metrics");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.shared = SharedComponents.create(Objects.requireNonNull(gates, "gates"));
    this.reloads = new Reloads(metrics);
  }

  /** Where every component's status is reported (read by the {@code health_check} extension). */
  public StatusRegistry status() {
    return status;
  }

  /** The internal metrics. */
  public MetricsRegistry metrics() {
    return metrics;
  }

  /**
   * The port the metrics endpoint listens on, or -1 when it is not running (level {@code none},
   * stopped).
   */
  public int metricsPort() {
    MetricsEndpoint ep = metricsEndpoint;
    return ep == null ? -1 : ep.port();
  }

  /** The status keys of the built components, in start order. */
  public List<String> componentKeys() {
    synchronized (lock) {
      return nodes.stream().map(Node::key).toList();
    }
  }

  /**
   * Creates every component and wires the graph, without I/O. Idempotent.
   *
   * @throws ServiceException listing every component that could not be created
   */
  public void build() throws ServiceException {
    synchronized (lock) {
      if (state != State.NEW) {
        return;
      }
      List<LifecycleError> errors = new ArrayList<>();
      PipelineGraph graph = new PipelineGraph(config, metrics, this::settings, errors);
      List<Node> built = graph.build();
      extensions = graph.extensions();
      if (!errors.isEmpty()) {
        throw new ServiceException("cannot build the pipelines:", errors);
      }
      nodes = built;
      builtNodes = List.copyOf(built);
      state = State.BUILT;
    }
  }

  /**
   * Builds (if needed) and starts the service: the metrics endpoint, then every component,
   * downstream first. Returns when everything runs ("Everything is ready").
   *
   * @throws ServiceException when a component failed to start (what had started is shut down
   *     again), or the graph could not be built
   * @throws IllegalStateException when called twice or after shutdown
   */
  public void start() throws ServiceException {
    synchronized (lock) {
      if (state == State.NEW) {
        try {
          build();
        } catch (ServiceException e) {
          state = State.STOPPED;
          shutdownErrors = List.of();
          stopped.countDown();
          throw e;
        }
      }
      if (state != State.BUILT) {
        throw new IllegalStateException(
            "service already " + state.name().toLowerCase(java.util.Locale.ROOT));
      }
      state = State.RUNNING;
      LOG.info("Starting {} {} ({} components)", build.command(), build.version(), nodes.size());
      for (Node n : nodes) {
        status.report(n.key(), Status.STARTING, null);
      }
      long t0 = System.nanoTime();
      ProcessMetrics.register(metrics, t0);
      TelemetryConfig tel =
          config.telemetry() != null ? config.telemetry() : TelemetryConfig.DEFAULT;
      if (tel.pullEnabled()) {
        MetricsEndpoint ep = new MetricsEndpoint(metrics, tel.metricsHost(), tel.metricsPort());
        try {
          ep.start();
        } catch (Exception e) {
          failStart(new LifecycleError("service/telemetry", e), null);
        }
        metricsEndpoint = ep;
        LOG.info(
            "Serving internal metrics on {}:{}{}",
            tel.metricsHost(),
            ep.port(),
            MetricsEndpoint.PATH);
      }
      Host host = new ServiceHost();
      if (tel.metricsEnabled() && !tel.periodicReaders().isEmpty()) {
        PeriodicReaders pr =
            new PeriodicReaders(tel.periodicReaders(), metrics, clock, build, shared);
        periodicReaders = pr;
        try {
          pr.start(host);
        } catch (Exception | LinkageError e) {
          failStart(new LifecycleError("service/telemetry", e), null);
        }
      }
      for (Node n : nodes) {
        try {
          n.component().start(host);
        } catch (Exception | LinkageError e) {
          status.report(n.key(), Status.PERMANENT_ERROR, e);
          failStart(new LifecycleError(n.key(), e), n);
        }
        started.add(n);
        status.reportIf(
            n.key(), Status.STARTING, Status.OK, null); // keep what the component reported itself
      }
      LOG.info(
          "Everything is ready. Begin running and processing data. (started in {} ms)",
          (System.nanoTime() - t0) / 1_000_000);
    }
  }

  /** Rolls back a failed start (caller holds the lock) and throws. */
  private void failStart(LifecycleError cause, Node failed) throws ServiceException {
    LOG.error("Failed to start {}: {}", cause.component(), cause.message(), cause.error());
    List<LifecycleError> errors = new ArrayList<>();
    errors.add(cause);
    if (failed
        != null) { // it may have bound a socket before failing: shutdown is safe without start
      started.add(failed);
    }
    List<LifecycleError> rollback = stopAll(Deadline.in(Duration.ofSeconds(30)), failed);
    errors.addAll(rollback);
    shutdownErrors = List.copyOf(rollback); // a later shutdown() has nothing left to do
    throw new ServiceException(
        "failed to start " + cause.component() + ": " + cause.message(), errors);
  }

  /**
   * Shuts down the components (receivers, processors upstream first, exporters, extensions) and
   * then the metrics endpoint, within {@code timeout}; a component still running at the deadline is
   * abandoned (and reported). Idempotent: later calls return the first call's result. Safe before
   * {@link #start()}.
   *
   * @return every error met, empty on a clean shutdown
   */
  public List<LifecycleError> shutdown(Duration timeout) {
    synchronized (lock) {
      if (shutdownErrors == null) {
        boolean running = state == State.RUNNING; // quiet for validate (built, never started)
        if (running) {
          LOG.info("Shutdown requested (timeout {} ms)", timeout.toMillis());
        }
        shutdownErrors = List.copyOf(stopAll(Deadline.in(timeout), null));
        if (!shutdownErrors.isEmpty()) {
          LOG.warn("Shutdown complete with {} error(s)", shutdownErrors.size());
        } else if (running) {
          LOG.info("Shutdown complete.");
        }
      }
      return shutdownErrors;
    }
  }

  /**
   * Stops everything started and not yet stopped, in reverse start order (caller holds the lock).
   */
  private List<LifecycleError> stopAll(Deadline deadline, Node keepStatusOf) {
    List<LifecycleError> errors = new ArrayList<>();
    if (state == State.BUILT) { // built, never started: shutdown is safe without start
      started.addAll(nodes);
    }
    for (int i = started.size() - 1; i >= 0; i--) {
      Node n = started.get(i);
      boolean report = n != keepStatusOf;
      if (report) {
        status.report(n.key(), Status.STOPPING, null);
      }
      Throwable e = shutdownOne(n, deadline);
      if (e != null) {
        errors.add(new LifecycleError(n.key(), e));
        if (report) {
          status.report(n.key(), Status.PERMANENT_ERROR, e);
        }
        LOG.warn(
            "Shutdown of {} failed: {}",
            n.key(),
            e.getMessage() != null ? e.getMessage() : e.toString(),
            e);
      } else if (report) {
        status.report(n.key(), Status.STOPPED, null);
      }
    }
    for (Node n : nodes) { // never started
      if (!started.contains(n) && n != keepStatusOf) {
        status.report(n.key(), Status.STOPPED, null);
      }
    }
    started.clear();
    if (periodicReaders != null) { // after the components: the last collection has their counts
      for (Throwable e : periodicReaders.shutdown(deadline)) {
        errors.add(new LifecycleError("service/telemetry", e));
      }
      periodicReaders = null;
    }
    if (metricsEndpoint != null) {
      metricsEndpoint.stop();
      metricsEndpoint = null;
    }
    state = State.STOPPED;
    stopped.countDown();
    return errors;
  }

  /**
   * Runs one component's shutdown on its own thread so that a hung component cannot hold the
   * others.
   */
  private static Throwable shutdownOne(Node n, Deadline deadline) {
    CompletableFuture<Void> done = new CompletableFuture<>();
    Thread t =
        DaemonThreads.thread(
            n.key(),
            "shutdown",
            () -> {
              try {
                n.component().shutdown(deadline);
                done.complete(null);
              } catch (Throwable e) {
                done.completeExceptionally(e);
              }
            });
    t.start();
    long wait = Math.max(deadline.remaining().toMillis(), GRACE.toMillis());
    try {
      done.get(wait, TimeUnit.MILLISECONDS);
      return null;
    } catch (ExecutionException e) {
      return e.getCause();
    } catch (TimeoutException e) {
      return new TimeoutException("did not shut down within the deadline");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return e;
    }
  }

  /** How a reload reads the config again: the sources given at start, loaded as at start. */
  @FunctionalInterface
  public interface ConfigReader {
    /**
     * The config to run next, validated.
     *
     * @throws ConfigException listing every error, each at its place
     */
    ServiceConfig read() throws ConfigException;
  }

  /**
   * Reads the config with {@code reader} and swaps the running graph for the one it describes (what
   * {@code SIGHUP} does). An invalid config, or one whose components cannot be created or started,
   * leaves the running graph as it is. Otherwise a component whose key and config are unchanged
   * keeps running (the same instance, never stopped) and is re-pointed to the new graph; the new
   * components start downstream first; then the replaced and removed receivers shut down (draining
   * into the pipelines they fed), the new receivers start, and the replaced and removed processors
   * (upstream first), exporters and extensions shut down, within {@code timeout} in all. Each
   * reload is counted in {@value Reloads#METRIC} by result, and logged.
   *
   * @return every error, each naming its place or component; empty when the new config runs
   *     entirely (a new receiver that fails to start is reported here while the rest runs)
   */
  public List<String> reload(ConfigReader reader, Duration timeout) {
    ServiceConfig next;
    try {
      next = Objects.requireNonNull(reader.read(), "config");
    } catch (ConfigException e) {
      return reloads.failed(
          "invalid configuration; the running configuration stays",
          e.errors().stream().map(Object::toString).toList());
    } catch (RuntimeException e) {
      return reloads.failed(
          "cannot read the configuration; the running configuration stays",
          List.of(String.valueOf(e)));
    }
    synchronized (lock) {
      if (state != State.RUNNING) {
        return reloads.failed(
            "the service is not running", List.of("service: " + state.name().toLowerCase()));
      }
      LOG.info("Reloading the configuration ({} components running)", nodes.size());
      List<LifecycleError> errors = new ArrayList<>();
      PipelineGraph graph = new PipelineGraph(next, metrics, this::settings, errors, nodes);
      GraphSwap swap =
          new GraphSwap(
              nodes,
              graph,
              graph.build(),
              errors,
              status,
              new ServiceHost(),
              Deadline.in(timeout),
              m -> {
                Map<ComponentId, Extension> old = extensions;
                extensions = m;
                return old;
              },
              Service::shutdownOne);
      swap.run();
      List<String> lines = errors.stream().map(LifecycleError::toString).toList();
      if (!swap.applied()) {
        return reloads.failed("the running configuration stays", lines);
      }
      if (!Objects.equals(config.telemetry(), next.telemetry())) {
        LOG.warn("Reload: service.telemetry changed; it is read at start (restart to apply it)");
      }
      config = next;
      nodes = swap.nodes();
      builtNodes = List.copyOf(nodes);
      started.clear();
      started.addAll(swap.running());
      return errors.isEmpty()
          ? reloads.succeeded(swap.kept(), swap.created())
          : reloads.failed("some new components did not start", lines);
    }
  }

  /** Blocks until the service has shut down (or failed to start). */
  public void awaitShutdown() throws InterruptedException {
    stopped.await();
  }

  /**
   * Blocks until the service has shut down or {@code timeout} passed; true when it has shut down.
   */
  public boolean awaitShutdown(Duration timeout) throws InterruptedException {
    return stopped.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
  }

  private final class ServiceHost implements Host {
    @Override
    public Map<ComponentId, Extension> extensions() {
      return extensions;
    }

    @Override
    public StatusRegistry status() {
      return status;
    }

    @Override
    public ServiceView service() {
      return view;
    }
  }

  /** The service as extensions see it (the status page reads it). */
  ServiceView view() {
    return view;
  }

  /** The service as extensions see it: reads the built graph without the lifecycle lock. */
  private final ServiceView view =
      new ServiceView() {
        @Override
        public List<Pipeline> pipelines() {
          List<Pipeline> out = new ArrayList<>();
          config
              .pipelines()
              .forEach(
                  (id, p) ->
                      out.add(
                          new Pipeline(
                              id.toString(),
                              id.signal().id(),
                              p.receivers(),
                              p.processors(),
                              p.exporters())));
          return out;
        }

        @Override
        public Map<String, Component> components() {
          Map<String, Component> out = new LinkedHashMap<>();
          for (Node n : builtNodes) {
            out.put(n.key(), n.component());
          }
          return out;
        }

        @Override
        public Map<String, Object> effectiveConfig() {
          return EffectiveConfig.tree(config);
        }
      };

  private Settings settings(Kind kind, ComponentId id, @Nullable Signal signal) {
    return new Settings(
        id,
        kind,
        signal,
        LoggerFactory.getLogger("io.tiercel." + kind.label() + "." + id),
        metrics,
        clock,
        build,
        shared);
  }
}
