package io.tiercel.benchmarks.load;

import io.tiercel.core.config.GoDuration;
import io.tiercel.testing.kafka.KafkaBroker;
import io.tiercel.testing.kafka.KafkaCluster;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.config.Configurator;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The two-tier load tool (issue 8): drives a tier running in its own JVM over real sockets and
 * measures it from the outside, beside the raw Kafka client doing the same job on the same broker
 * in the same run.
 *
 * <ul>
 *   <li>ingestion: OTLP gRPC or HTTP requests (pre-serialized, a send window, a fixed or maximal
 *       rate) into the tier's {@code otlp} receiver -> {@code kafka} exporter; latency = request
 *       send to the record being read back from Kafka by the tool; baseline = a raw {@code
 *       KafkaProducer} sending the same per-trace records;
 *   <li>processing: a topic pre-filled with {@code otlp_proto} records keyed by trace id, drained
 *       by the tier ({@code kafka} receiver -> processors -> {@code batch} -> {@code otlp_grpc})
 *       into an OTLP gRPC sink in the tool; latency = record produce time to arrival at the sink;
 *       baseline = a raw {@code KafkaConsumer} reading the same topic. Runs the configs of {@code
 *       --processing-configs} (default: filter + transform without and with {@code tail_sampling}).
 *       A drain also reports its steady state: the window from 20 % to 90 % of the drain, with CPU
 *       per thread group, allocation per span and the GC's share.
 * </ul>
 *
 * The tier's CPU (utime + stime of {@code /proc/<pid>/stat}) is taken over the measured window
 * only; the broker is a third process (or {@code --brokers}). Prints a markdown report; exit code 0
 * only when the counts reconcile.
 */
@Command(
    name = "load-tool",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description =
        "Drives the Tiercel tiers (each in its own JVM) and prints a markdown table of what they"
            + " cost.")
public final class LoadTool implements Callable<Integer> {
  /** Which tiers to run. */
  enum Tier {
    ingestion,
    processing,
    both
  }

  /** How the load reaches the ingestion tier. */
  enum Protocol {
    grpc,
    http
  }

  @Option(
      names = "--tier",
      defaultValue = "both",
      description = "ingestion, processing or both (default).")
  Tier tier;

  @Option(
      names = "--rate",
      defaultValue = "max",
      paramLabel = "SPANS_PER_S|max",
      description =
          "Spans per second, or max (default). Ingestion: max = as fast as the send window allows."
              + " Processing: max = drain a pre-filled topic (no latency); a rate = live: the tool"
              + " produces while the tier runs and measures produce-to-sink latency.")
  String rate;

  @Option(
      names = "--duration",
      defaultValue = "30s",
      description = "Measured sending time (ingestion; processing in live mode). Default: 30s.")
  String duration;

  @Option(
      names = "--warmup",
      defaultValue = "5s",
      description = "Unmeasured sending first (ingestion; processing in live mode). Default: 5s.")
  String warmup;

  @Option(
      names = "--prefill",
      defaultValue = "3000000",
      paramLabel = "SPANS",
      description =
          "Processing, drain mode: spans written to the topic before the tier starts. "
              + "Default: 3000000 (the 20-90 % window then lasts seconds).")
  long prefill;

  @Option(
      names = "--drain-limit",
      defaultValue = "15m",
      description =
          "Processing: how long a drain (or the wait for the live run's last span) may take before"
              + " the run counts as failed. Default: 15m.")
  String drainLimit;

  @Option(
      names = "--spans-per-request",
      defaultValue = "500",
      description = "Spans per OTLP request (default 500).")
  int spansPerRequest;

  @Option(
      names = "--spans-per-trace",
      defaultValue = "5",
      description = "Trace shape: spans per trace (default 5).")
  int spansPerTrace;

  @Option(
      names = "--trace-depth",
      defaultValue = "3",
      description = "Trace shape: tree depth (default 3).")
  int traceDepth;

  @Option(
      names = "--attributes-per-span",
      defaultValue = "2",
      description = "Trace shape: extra attributes per span on top of the HTTP ones (default 2).")
  int attributesPerSpan;

  @Option(
      names = "--error-ratio",
      defaultValue = "0.05",
      description = "Trace shape: error spans (default 0.05).")
  double errorRatio;

  @Option(
      names = "--protocol",
      defaultValue = "grpc",
      description = "Ingestion: grpc (default) or http.")
  Protocol protocol;

  @Option(
      names = "--window",
      defaultValue = "32",
      description =
          "Ingestion: OTLP requests in flight (default 32;"
              + " with 500-span requests that fills the built-in config's 8192-span batches).")
  int window;

  @Option(
      names = "--compression",
      defaultValue = "none",
      description = "Ingestion: OTLP compression, none " + "(default) or gzip.")
  String compression;

  @Option(
      names = "--partitions",
      defaultValue = "12",
      description = "Partitions of each topic (default 12).")
  int partitions;

  @Option(
      names = "--processing-configs",
      defaultValue = "all",
      split = ",",
      paramLabel = "NAME[/COMPRESSION][,...]",
      description =
          "Built-in processing configs: all (default: plain and tail_sampling), issue14 (the table"
              + " of issue 14: floor, batch/none, batch/gzip, plain/gzip, tail_sampling/gzip,"
              + " tail_sampling/none), or names of floor (kafka -> batch -> file), no_batch (kafka"
              + " -> otlp_grpc), batch (kafka -> batch -> otlp_grpc), plain (memory_limiter,"
              + " filter, transform, batch), tail_sampling (plain + tail_sampling), each with"
              + " /none, /gzip (default) or /zstd: the otlp_grpc exporter's compression.")
  List<String> processingConfigs;

  @Option(
      names = "--config",
      paramLabel = "YAML",
      description =
          "Run the tier with this config instead of the built-in ones (one tier only). The tool"
              + " overrides the endpoints, brokers, topic and group with --set (component ids otlp,"
              + " kafka, otlp_grpc) and sets KAFKA_BROKERS and OTLP_ENDPOINT.")
  Path config;

  @Option(
      names = "--brokers",
      paramLabel = "HOST:PORT[,...]",
      description =
          "Use this Kafka cluster (topics are created per run and deleted) instead of a broker in a"
              + " child JVM.")
  String brokers;

  @Option(
      names = "--cluster",
      defaultValue = "1",
      paramLabel = "NODES",
      description =
          "Kafka nodes in child JVMs: 1 (default) a single broker, 2 or more a KRaft cluster whose"
              + " topics are replicated to every node (min.insync.replicas 2). Ignored with"
              + " --brokers.")
  int cluster;

  @Option(
      names = "--instances",
      split = ",",
      paramLabel = "N[,N...]",
      description =
          "Processing, drain mode: instead of the usual table, drain one pre-filled topic with each"
              + " count of processing instances in one group (e.g. 1,2,3) and report every"
              + " instance's CPU-s per million spans (issue 15's fleet test 2).")
  List<Integer> instances;

  @Option(
      names = "--tier-jvm-options",
      defaultValue = "-Xms2g -Xmx2g",
      split = " ",
      description = "JVM options of the tier's process (default: -Xms2g -Xmx2g).")
  List<String> tierJvmOptions;

  @Option(
      names = "--passes",
      defaultValue = "1",
      description = "Repeat everything; the table adds medians.")
  int passes;

  @Option(
      names = "--report",
      paramLabel = "FILE",
      description = "Also write the markdown report here.")
  Path report;

  @Option(
      names = "--work-dir",
      paramLabel = "DIR",
      description = "Configs and tier logs (default: a temp dir).")
  Path workDir;

  private final PrintStream out;
  private final List<String> argv;

  LoadTool(PrintStream out, List<String> argv) {
    this.out = out;
    this.argv = argv;
  }

  public static void main(String[] args) {
    System.exit(run(System.out, args));
  }

  /** Runs one command line and returns the exit code (0: measured and every count reconciled). */
  public static int run(PrintStream out, String... args) {
    return new CommandLine(new LoadTool(out, List.of(args))).execute(args);
  }

  @Override
  public Integer call() throws Exception {
    Configurator.setRootLevel(Level.WARN);
    Configurator.setLevel("org.apache.kafka", Level.ERROR);
    Configurator.setLevel("kafka", Level.ERROR);
    if (config != null && tier == Tier.both) {
      throw new CommandLine.ParameterException(
          new CommandLine(this), "--config needs --tier ingestion or " + "--tier processing");
    }
    BuiltInConfigs.parse(processingConfigs); // a bad name fails before the broker starts
    Settings s =
        new Settings(
            parseRate(rate),
            GoDuration.parse(duration),
            GoDuration.parse(warmup),
            prefill,
            spansPerRequest,
            protocol,
            window,
            compression,
            partitions,
            tierJvmOptions,
            GoDuration.parse(drainLimit));
    Path dir =
        workDir != null
            ? Files.createDirectories(workDir)
            : Files.createTempDirectory("tiercel-load-");
    Workload data =
        new Workload(
            spansPerRequest,
            new Workload.Shape(spansPerTrace, traceDepth, attributesPerSpan, errorRatio),
            42);
    String started = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
    String machine = ProcStat.machine();
    out.printf(
        Locale.ROOT,
        "Load tool: %s; work dir %s%nData: %d-span requests of %,d bytes; per-trace records of "
            + "%,d bytes (%.1f spans)%n",
        machine,
        dir,
        spansPerRequest,
        data.averageRequestBytes(),
        data.averageRecordBytes(),
        data.spansPerRecord());

    List<Result> results = new ArrayList<>();
    List<Scaling.Row> scaling = new ArrayList<>();
    KafkaBroker broker = null;
    KafkaCluster nodes = null;
    try {
      String bootstrap = brokers;
      if (bootstrap == null && cluster > 1) {
        nodes = KafkaCluster.start(cluster, Map.of());
        bootstrap = nodes.bootstrapServers();
        out.println("Broker: a cluster of " + cluster + " child JVMs on " + bootstrap);
      } else if (bootstrap == null) {
        broker =
            KafkaBroker.builder()
                .childJvm(true)
                .jvmArgs(List.of("-Xms1g", "-Xmx1g"))
                .build()
                .start();
        bootstrap = broker.bootstrapServers();
        out.println("Broker: a child JVM on " + bootstrap + " (pid not measured)");
      }
      try (Kafka kafka = new Kafka(bootstrap)) {
        Phases phases = new Phases(kafka, data, s, dir, out);
        for (int pass = 1; pass <= passes; pass++) {
          if (instances != null) {
            for (BuiltInConfigs.Processing p : BuiltInConfigs.parse(processingConfigs)) {
              Path yaml = config != null ? config : BuiltInConfigs.processing(dir, p);
              String label = config != null ? "custom" : p.label();
              scaling.addAll(Scaling.run(phases, kafka, s, label, yaml, instances, out));
            }
          } else {
            runPass(phases, pass, dir, results);
          }
        }
      }
    } finally {
      if (broker != null) {
        broker.close();
      }
      if (nodes != null) {
        nodes.close();
      }
    }
    if (instances != null) {
      String command =
          "MAIN=" + LoadTool.class.getName() + " benchmarks/run-jmh.sh " + String.join(" ", argv);
      String md =
          "Command: `"
              + command
              + "`\nMachine: "
              + machine
              + ", started "
              + started
              + ", load average at the end "
              + ProcStat.loadAverage()
              + "\n\n"
              + Scaling.markdown(scaling);
      out.println();
      out.println(md);
      if (report != null) {
        Files.writeString(report, md, StandardCharsets.UTF_8);
      }
      boolean ok = scaling.stream().allMatch(Scaling.Row::reconciled);
      out.println(ok ? "RESULT: OK - every drain finished" : "RESULT: FAILED - a drain timed out");
      return ok ? 0 : 1;
    }
    String command =
        "MAIN="
            + LoadTool.class.getName()
            + " benchmarks/run-jmh.sh"
            + (argv.isEmpty() ? "" : " " + String.join(" ", argv));
    String md = Report.markdown(results, machine, command, started, ProcStat.loadAverage(), data);
    out.println();
    out.println(md);
    if (report != null) {
      Files.writeString(report, md, StandardCharsets.UTF_8);
    }
    boolean ok = results.stream().allMatch(Result::reconciled);
    out.println(
        ok
            ? "RESULT: OK - every count reconciled"
            : "RESULT: FAILED - counts do not reconcile (see the " + "table's in/out columns)");
    return ok ? 0 : 1;
  }

  private void runPass(Phases phases, int pass, Path dir, List<Result> results) throws Exception {
    if (tier != Tier.processing) {
      results.add(phases.ingestion(pass, config));
    }
    if (tier == Tier.ingestion) {
      return;
    }
    if (config != null) {
      results.add(phases.processing(pass, "custom", config));
      return;
    }
    for (BuiltInConfigs.Processing p : BuiltInConfigs.parse(processingConfigs)) {
      results.add(phases.processing(pass, p.label(), BuiltInConfigs.processing(dir, p)));
    }
  }

  /** {@code max} = 0, else spans per second. */
  static double parseRate(String r) {
    if (r.equalsIgnoreCase("max")) {
      return 0;
    }
    double v = Double.parseDouble(r);
    if (v <= 0) {
      throw new IllegalArgumentException("--rate must be positive or max, got " + r);
    }
    return v;
  }

  /** What every phase needs. */
  record Settings(
      double rate,
      Duration duration,
      Duration warmup,
      long prefill,
      int spansPerRequest,
      Protocol protocol,
      int window,
      String compression,
      int partitions,
      List<String> tierJvmOptions,
      Duration drainLimit) {}

  /** Topic admin on the cluster under test. */
  static final class Kafka implements AutoCloseable {
    final String bootstrap;
    private final List<String> done = new ArrayList<>();

    Kafka(String bootstrap) {
      this.bootstrap = bootstrap;
    }

    private Admin admin() {
      Properties p = new Properties();
      p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
      return Admin.create(p);
    }

    /**
     * Creates a topic and waits until every partition has a leader (a producer may then send at
     * once).
     */
    void createTopic(String name, int partitions) throws Exception {
      try (Admin a = admin()) {
        // the cluster's default.replication.factor: 1 on one broker, every node on --cluster
        a.createTopics(List.of(new NewTopic(name, Optional.of(partitions), Optional.empty())))
            .all()
            .get();
        long end = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (true) {
          try {
            TopicDescription d = a.describeTopics(List.of(name)).allTopicNames().get().get(name);
            if (d.partitions().size() == partitions
                && d.partitions().stream()
                    .allMatch(p -> p.leader() != null && !p.leader().isEmpty())) {
              return;
            }
          } catch (ExecutionException e) {
            // not known everywhere yet
          }
          if (System.nanoTime() > end) {
            throw new IllegalStateException(
                "topic " + name + " has no leader for every partition after 60 s");
          }
          Thread.sleep(100);
        }
      }
    }

    /**
     * Marks a topic as done; it is deleted by {@link #close()}, at the end of the run, so that no
     * deletion runs on the broker while a later phase is measured.
     */
    void deleteTopic(String name) {
      done.add(name);
    }

    @Override
    public void close() {
      if (done.isEmpty()) {
        return;
      }
      try (Admin a = admin()) {
        a.deleteTopics(done).all().get();
      } catch (Exception e) {
        // best effort: disk space only
      }
    }
  }
}
