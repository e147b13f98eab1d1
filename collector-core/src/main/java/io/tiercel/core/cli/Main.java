package io.tiercel.core.cli;

import io.tiercel.core.component.BuildInfo;
import io.tiercel.core.component.ComponentRegistry;
import io.tiercel.core.component.ExporterFactory;
import io.tiercel.core.component.ExtensionFactory;
import io.tiercel.core.component.Factory;
import io.tiercel.core.component.Kind;
import io.tiercel.core.component.ProcessorFactory;
import io.tiercel.core.component.ReceiverFactory;
import io.tiercel.core.component.Stability;
import io.tiercel.core.component.StatusRegistry;
import io.tiercel.core.config.ConfigException;
import io.tiercel.core.config.DistributionManifest;
import io.tiercel.core.config.ServiceConfig;
import io.tiercel.core.config.TelemetryConfig;
import io.tiercel.core.featuregate.FeatureGates;
import io.tiercel.core.featuregate.Gate;
import io.tiercel.core.pdata.Signal;
import io.tiercel.core.service.LifecycleError;
import io.tiercel.core.service.Service;
import io.tiercel.core.service.ServiceException;
import io.tiercel.core.telemetry.MetricsRegistry;
import io.tiercel.core.telemetry.logs.LogSetup;
import io.tiercel.core.util.DaemonThreads;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import org.apache.logging.log4j.LogManager;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The {@code tiercel} command line: {@code run}, {@code validate}, {@code components}, {@code
 * print-config} and {@code --version}.
 *
 * <p>{@code run} reloads its config on SIGHUP: the same {@code --config} sources and {@code --set}
 * values are read again (and {@code ${env:...}} expanded again) with the same feature gates; an
 * invalid config is logged with its errors and the running one stays (see {@link Service#reload}).
 *
 * <p>Exit codes: 0 success; 1 invalid config, failed start, a component that reported {@code
 * FATAL_ERROR} while running (the service is shut down first); 2 bad usage. {@code run} serves
 * until SIGTERM/SIGINT, when a shutdown hook stops the service within {@code --shutdown-timeout};
 * the JVM then exits with its signal status (143 for SIGTERM, 130 for SIGINT) as every Java server
 * does, so a supervisor cannot tell a clean stop from a failed one by the status: shutdown errors
 * are printed to stderr and logged. {@link System#exit} is only called in {@link #main}.
 */
public final class Main {
  private static final Duration FATAL_POLL = Duration.ofMillis(200);
  private final ComponentRegistry registry;
  private final ConfigSource source;
  private final BuildInfo build;
  private final PrintStream out;
  private final PrintStream err;

  /**
   * @param registry the component factories ({@code components}, and what configs may use)
   * @param configs how configs are loaded
   */
  public Main(
      ComponentRegistry registry,
      ConfigSource configs,
      BuildInfo build,
      PrintStream out,
      PrintStream err) {
    this.registry = Objects.requireNonNull(registry, "registry");
    this.source = Objects.requireNonNull(configs, "configs");
    this.build = Objects.requireNonNull(build, "build");
    this.out = Objects.requireNonNull(out, "out");
    this.err = Objects.requireNonNull(err, "err");
  }

  /**
   * System property naming a {@link DistributionManifest} file: the components are restricted to
   * the ones it lists and the build is named after it. A tier archive's {@code bin/tiercel} sets it
   * to its {@code lib/components.yaml}.
   */
  public static final String COMPONENTS_PROPERTY = "tiercel.components";

  /**
   * Entry point: discovers factories with {@link ComponentRegistry#load()}, restricts them to the
   * manifest named by {@value #COMPONENTS_PROPERTY} when set, and exits with the command's code.
   */
  public static void main(String[] args) {
    Distribution d;
    try {
      d =
          distribution(
              ComponentRegistry.load(), BuildInfo.DEFAULT, System.getProperty(COMPONENTS_PROPERTY));
    } catch (RuntimeException | java.util.ServiceConfigurationError e) {
      System.err.println("Error: " + e.getMessage());
      System.exit(1);
      return;
    } catch (ConfigException e) {
      System.err.println(
          "Error: invalid component manifest "
              + System.getProperty(COMPONENTS_PROPERTY)
              + " ("
              + e.errors().size()
              + (e.errors().size() == 1 ? " error):" : " errors):"));
      e.errors().forEach(x -> System.err.println("  " + x));
      System.exit(1);
      return;
    }
    int code =
        new Main(
                d.registry(),
                ConfigSources.loader(d.registry(), System::getenv),
                d.build(),
                System.out,
                System.err)
            .execute(args);
    System.exit(code);
  }

  /** The components and build info a command line works with. */
  record Distribution(ComponentRegistry registry, BuildInfo build) {}

  /**
   * {@code all} restricted to the manifest file {@code manifest}, with the build named after the
   * manifest's {@code dist}; or {@code all} and {@code build} unchanged when {@code manifest} is
   * null or empty.
   *
   * @throws ConfigException when the manifest cannot be read, is invalid, or lists a type {@code
   *     all} lacks
   */
  static Distribution distribution(ComponentRegistry all, BuildInfo build, String manifest)
      throws ConfigException {
    if (manifest == null || manifest.isEmpty()) {
      return new Distribution(all, build);
    }
    DistributionManifest m = DistributionManifest.read(Path.of(manifest));
    return new Distribution(
        m.restrict(all), new BuildInfo(m.dist().name(), m.dist().description(), build.version()));
  }

  /**
   * Runs one command line; returns the exit code. {@code run} returns only after the service
   * stopped.
   */
  public int execute(String... args) {
    CommandLine cl =
        new CommandLine(new Root())
            .addSubcommand("run", new Run())
            .addSubcommand("validate", new Validate())
            .addSubcommand("components", new Components())
            .addSubcommand("print-config", new PrintConfig());
    CommandProvider.Environment env = new CommandProvider.Environment(registry, build, out, err);
    for (CommandProvider p :
        java.util.ServiceLoader.load(CommandProvider.class, Main.class.getClassLoader())) {
      if (!cl.getSubcommands().containsKey(p.name())) {
        cl.addSubcommand(p.name(), p.command(env));
      }
    }
    cl.getCommandSpec().version(build.command() + " version " + build.version());
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    return cl.execute(args);
  }

  @Command(
      name = "tiercel",
      mixinStandardHelpOptions = true,
      description = "Tiercel: a two-tier OpenTelemetry collector (OTLP -> Kafka -> backends).")
  private final class Root implements Callable<Integer> {
    // `tiercel --config F` runs, as `otelcol --config F` does (existing manifests start the
    // collector so)
    @Option(
        names = "--config",
        paramLabel = "URI",
        description = "Run with this config (same as: run --config).")
    List<String> configs = new ArrayList<>();

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "With --config: as for run.")
    List<String> sets = new ArrayList<>();

    @Option(
        names = "--feature-gates",
        paramLabel = "IDS",
        description = "With --config: as for run.")
    List<String> featureGates = new ArrayList<>();

    @Option(
        names = "--shutdown-timeout",
        defaultValue = "30s",
        converter = GoDurations.class,
        paramLabel = "DURATION",
        description = "With --config: as for run.")
    Duration shutdownTimeout;

    @Override
    public Integer call() throws InterruptedException {
      if (configs.isEmpty()) {
        err.println(
            "Error: a command is required: run, validate, components or print-config (see --help)");
        return 2;
      }
      Run run = new Run();
      run.configs = configs;
      run.sets = sets;
      run.featureGates = featureGates;
      run.shutdownTimeout = shutdownTimeout;
      return run.call();
    }
  }

  private static final String FEATURE_GATES_HELP =
      "Comma-separated feature gate ids: a bare or '+'-prefixed id enables the gate, a"
          + " '-'-prefixed one disables it. Repeatable. The gates are listed by 'components'.";

  /** Options shared by the commands that read a config. */
  private static class ConfigOptions {
    @Option(names = "--feature-gates", paramLabel = "IDS", description = FEATURE_GATES_HELP)
    List<String> featureGates = new ArrayList<>();

    @Option(
        names = "--config",
        required = true,
        paramLabel = "URI",
        description =
            "Config source: a file path, file:PATH, env:VAR or yaml:INLINE. Repeat to merge (later"
                + " wins).")
    List<String> configs = new ArrayList<>();

    @Option(
        names = "--set",
        paramLabel = "KEY=VALUE",
        description =
            "Override one value, e.g. --set=processors.batch.timeout=2s. Applied after every"
                + " --config.")
    List<String> sets = new ArrayList<>();
  }

  /**
   * The registry's gates with every {@code --feature-gates} value applied; null after printing the
   * error (in the collector's words, naming the gate) when a value is invalid.
   */
  private FeatureGates gates(List<String> values) {
    FeatureGates gates = registry.featureGates();
    for (String v : values) {
      try {
        gates = gates.apply(v);
      } catch (IllegalArgumentException e) {
        err.println(
            "Error: invalid argument \""
                + v
                + "\" for \"--feature-gates\" flag: "
                + e.getMessage());
        return null;
      }
    }
    return gates;
  }

  /** Loads the config, printing every error to stderr; null when invalid. */
  private ServiceConfig load(ConfigOptions o) {
    try {
      return source.load(o.configs, o.sets);
    } catch (ConfigException e) {
      err.println(
          "Error: invalid configuration ("
              + e.errors().size()
              + (e.errors().size() == 1 ? " error):" : " errors):"));
      e.errors().forEach(x -> err.println("  " + x));
      return null;
    }
  }

  @Command(
      name = "run",
      mixinStandardHelpOptions = true,
      description =
          "Run the collector until SIGTERM or SIGINT; SIGHUP reloads the config from the same"
              + " sources.")
  private final class Run extends ConfigOptions implements Callable<Integer> {
    @Option(
        names = "--shutdown-timeout",
        defaultValue = "30s",
        converter = GoDurations.class,
        paramLabel = "DURATION",
        description =
            "How long shutdown may take before running components are abandoned (default"
                + " ${DEFAULT-VALUE}).")
    Duration shutdownTimeout;

    @Override
    public Integer call() throws InterruptedException {
      FeatureGates gates = gates(featureGates);
      if (gates == null) {
        return 2;
      }
      ServiceConfig c = load(this);
      if (c == null) {
        return 1;
      }
      TelemetryConfig t = c.telemetry() != null ? c.telemetry() : TelemetryConfig.DEFAULT;
      LogSetup.apply(t.logsLevel(), t.logsEncoding());
      Service service = new Service(c, build, new MetricsRegistry(), Clock.systemUTC(), gates);
      Thread hook =
          DaemonThreads.thread(
              "tiercel-shutdown-hook",
              "",
              () -> {
                List<LifecycleError> errors = service.shutdown(shutdownTimeout);
                if (!errors.isEmpty()) {
                  err.println("Error: shutdown finished with " + errors.size() + " error(s):");
                  errors.forEach(x -> err.println("  " + x));
                }
                LogManager.shutdown();
              });
      Runtime.getRuntime().addShutdownHook(hook);
      Hangup hangup =
          Hangup.install(); // before start: a SIGHUP while starting is a reload after it
      try {
        service.start();
      } catch (ServiceException e) {
        removeHook(hook);
        err.println("Error: cannot start the collector: " + e.getMessage());
        return 1;
      }
      // a component that reports FATAL_ERROR stops the collector, as in the OpenTelemetry Collector
      while (!service.awaitShutdown(FATAL_POLL)) {
        if (hangup.take()) { // SIGHUP: the same sources, --set values and feature gates as at start
          service.reload(() -> source.load(configs, sets), shutdownTimeout);
        }
        StatusRegistry.Entry fatal =
            service.status().snapshot().values().stream()
                .filter(x -> x.status() == StatusRegistry.Status.FATAL_ERROR)
                .findFirst()
                .orElse(null);
        if (fatal != null) {
          err.println("Error: " + fatal.component() + " reported a fatal error: " + fatal.error());
          removeHook(hook);
          List<LifecycleError> errors = service.shutdown(shutdownTimeout);
          errors.forEach(x -> err.println("  shutdown: " + x));
          return 1;
        }
      }
      removeHook(hook);
      return service.shutdown(shutdownTimeout).isEmpty() ? 0 : 1;
    }
  }

  private static void removeHook(Thread hook) {
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException e) {
      // the JVM is already shutting down: the hook runs (or ran) anyway
    }
  }

  @Command(
      name = "validate",
      mixinStandardHelpOptions = true,
      description = "Load the config and build every pipeline without starting anything.")
  private final class Validate extends ConfigOptions implements Callable<Integer> {
    @Override
    public Integer call() {
      FeatureGates gates = gates(featureGates);
      if (gates == null) {
        return 2;
      }
      ServiceConfig c = load(this);
      if (c == null) {
        return 1;
      }
      Service service = new Service(c, build, new MetricsRegistry(), Clock.systemUTC(), gates);
      try {
        service.build();
      } catch (ServiceException e) {
        err.println("Error: " + e.getMessage());
        return 1;
      } finally {
        service.shutdown(Duration.ofSeconds(5)); // components were created, never started: safe
      }
      out.println("config is valid");
      return 0;
    }
  }

  @Command(
      name = "print-config",
      mixinStandardHelpOptions = true,
      description =
          "Print the effective config (after merging, expansion and defaults); secrets are"
              + " redacted.")
  private final class PrintConfig extends ConfigOptions implements Callable<Integer> {
    @Override
    public Integer call() {
      if (gates(featureGates) == null) {
        return 2;
      }
      ServiceConfig c = load(this);
      if (c == null) {
        return 1;
      }
      out.print(source.effectiveYaml(c));
      out.flush();
      return 0;
    }
  }

  @Command(
      name = "components",
      mixinStandardHelpOptions = true,
      description =
          "List the component types of this build, with their signals and stability, and the"
              + " feature gates they read.")
  private final class Components implements Callable<Integer> {
    @Option(names = "--feature-gates", paramLabel = "IDS", description = FEATURE_GATES_HELP)
    List<String> featureGates = new ArrayList<>();

    @Override
    public Integer call() {
      FeatureGates gates = gates(featureGates);
      if (gates == null) {
        return 2;
      }
      out.print(componentsYaml(registry, build, gates));
      out.flush();
      return 0;
    }
  }

  /** The {@code components} listing with the gates at their defaults. */
  static String componentsYaml(ComponentRegistry registry, BuildInfo build) {
    return componentsYaml(registry, build, registry.featureGates());
  }

  /**
   * The {@code components} listing, YAML in the collector's shape, then (when the components read
   * any) {@code feature_gates}: each gate's id, stage, whether it is on (with {@code gates}
   * applied), description and reference.
   */
  static String componentsYaml(ComponentRegistry registry, BuildInfo build, FeatureGates gates) {
    StringBuilder sb = new StringBuilder();
    sb.append("buildinfo:\n")
        .append("  command: ")
        .append(build.command())
        .append('\n')
        .append("  description: ")
        .append(build.description())
        .append('\n')
        .append("  version: ")
        .append(build.version())
        .append('\n');
    for (Kind k : Kind.values()) {
      Map<String, Factory<?>> fs = registry.factories(k);
      sb.append(k.section()).append(':').append(fs.isEmpty() ? " []\n" : "\n");
      for (Factory<?> f : fs.values()) {
        sb.append("  - name: ").append(f.type()).append('\n');
        if (!f.aliases().isEmpty()) {
          sb.append("    aliases: [")
              .append(String.join(", ", new java.util.TreeSet<>(f.aliases())))
              .append("]\n");
        }
        sb.append("    stability:\n");
        stabilities(f)
            .forEach(
                (signal, s) ->
                    sb.append("      ").append(signal).append(": ").append(label(s)).append('\n'));
      }
    }
    List<Gate> all = gates.gates();
    if (!all.isEmpty()) {
      sb.append("feature_gates:\n");
    }
    for (Gate g : all) {
      sb.append("  - id: ").append(g.id()).append('\n');
      sb.append("    stage: ").append(g.stage().label()).append('\n');
      sb.append("    enabled: ").append(gates.isEnabled(g)).append('\n');
      sb.append("    description: ").append(quoted(g.description())).append('\n');
      sb.append("    reference_url: ").append(quoted(g.referenceUrl())).append('\n');
    }
    return sb.toString();
  }

  private static String quoted(String s) {
    return '"' + s.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
  }

  private static Map<String, Stability> stabilities(Factory<?> f) {
    Map<Signal, Stability> bySignal = null;
    if (f instanceof ReceiverFactory<?> r) {
      bySignal = r.signals();
    } else if (f instanceof ProcessorFactory<?> p) {
      bySignal = p.signals();
    } else if (f instanceof ExporterFactory<?> e) {
      bySignal = e.signals();
    }
    Map<String, Stability> m = new TreeMap<>();
    if (bySignal == null) {
      m.put("extension", ((ExtensionFactory<?>) f).stability());
    } else {
      bySignal.forEach((sig, s) -> m.put(sig.id(), s));
    }
    return m;
  }

  private static String label(Stability s) {
    String n = s.name().toLowerCase(Locale.ROOT);
    return Character.toUpperCase(n.charAt(0)) + n.substring(1);
  }
}
