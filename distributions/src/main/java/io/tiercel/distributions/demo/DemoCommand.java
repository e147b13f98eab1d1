package io.tiercel.distributions.demo;

import static io.tiercel.distributions.demo.DemoCounts.TAIL_SAMPLING;
import static io.tiercel.distributions.demo.DemoCounts.consumed;
import static io.tiercel.distributions.demo.DemoCounts.decided;
import static io.tiercel.distributions.demo.DemoCounts.drained;
import static io.tiercel.distributions.demo.DemoCounts.exported;
import static io.tiercel.distributions.demo.DemoCounts.filtered;
import static io.tiercel.distributions.demo.DemoCounts.inKafka;
import static io.tiercel.distributions.demo.DemoCounts.ingested;
import static io.tiercel.distributions.demo.DemoCounts.notSampled;
import static io.tiercel.distributions.demo.DemoCounts.policy;
import static io.tiercel.distributions.demo.DemoCounts.samplingIn;
import static io.tiercel.distributions.demo.DemoCounts.samplingOut;
import static io.tiercel.distributions.demo.DemoCounts.sent;
import static io.tiercel.distributions.demo.DemoCounts.spansInFile;
import static io.tiercel.distributions.demo.DemoCounts.sum;

import io.tiercel.core.cli.CommandProvider;
import io.tiercel.core.config.ConfigException;
import io.tiercel.core.config.ConfigLoader;
import io.tiercel.core.config.GoDuration;
import io.tiercel.core.pdata.Signal;
import io.tiercel.core.service.Service;
import io.tiercel.core.service.ServiceException;
import io.tiercel.core.telemetry.MetricsRegistry;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
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
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.config.Configurator;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code tiercel demo}: the two tiers end to end on one machine. A generator sends traces (some
 * with errors, some slow), metrics and logs over OTLP gRPC to the ingestion tier (otlp ->
 * memory_limiter -> batch -> kafka, keyed by trace id), which writes them to Kafka (an embedded
 * single-node KRaft broker, or {@code --brokers}); the processing tier (kafka consumer group ->
 * filter -> transform -> tail_sampling (traces) -> batch -> file) reads them back. Shows progress
 * every second, then waits for the last sampling decisions, drains, prints a summary per signal and
 * per sampling policy, and exits 0 only when the counts reconcile: every item the generator had
 * acknowledged was exported or dropped on purpose (by the filter or by a sampling decision), and
 * the spans exported are exactly the spans of the sampled traces.
 */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description =
        "Run both tiers end to end with an embedded Kafka broker and a telemetry generator.")
final class DemoCommand implements Callable<Integer> {
  private final CommandProvider.Environment env;

  @Option(
      names = "--duration",
      defaultValue = "30s",
      paramLabel = "DURATION",
      description = "How long the generator sends (Go syntax: 30s, 2m). Default: ${DEFAULT-VALUE}.")
  String duration;

  @Option(
      names = "--rate",
      defaultValue = "2000",
      paramLabel = "ITEMS_PER_SECOND",
      description =
          "Items per second per signal (0: as fast as the tiers accept). Default:"
              + " ${DEFAULT-VALUE}.")
  int rate;

  @Option(
      names = "--brokers",
      paramLabel = "HOST:PORT[,...]",
      description =
          "Use this Kafka cluster instead of the embedded broker (topics are created per run and"
              + " deleted).")
  String brokers;

  @Option(
      names = "--output",
      paramLabel = "DIR",
      description =
          "Where the configs and the exported file go " + "(default: a new temporary directory).")
  Path output;

  @Option(names = "--verbose", description = "Show the collector's INFO logs.")
  boolean verbose;

  DemoCommand(CommandProvider.Environment env) {
    this.env = env;
  }

  private record Stage(String label, long[] values) {}

  @Override
  public Integer call() throws Exception {
    PrintStream out = env.out();
    Duration runFor;
    try {
      runFor = GoDuration.parse(duration);
    } catch (IllegalArgumentException e) {
      env.err()
          .println(
              "Error: --duration \""
                  + duration
                  + "\" is not a duration (use Go syntax such as 30s, 2m)");
      return 2;
    }
    if (!verbose) {
      Configurator.setRootLevel(Level.WARN);
      Configurator.setLevel(
          "org.apache.kafka", Level.ERROR); // the embedded broker's start-up chatter
      Configurator.setLevel("kafka", Level.ERROR);
    }
    Path dir =
        output != null
            ? Files.createDirectories(output)
            : Files.createTempDirectory("tiercel-demo-");
    String run = Long.toString(System.currentTimeMillis() % 1_000_000_000L, 36);
    Map<Signal, String> topics = new EnumMap<>(Signal.class);
    for (Signal s : DemoCounts.SIGNALS) {
      topics.put(
          s,
          brokers == null
              ? "otlp_" + (s == Signal.TRACES ? "spans" : s.id())
              : "tiercel_demo_" + run + "_" + s.id());
    }

    EmbeddedKafka embedded = null;
    List<Service> started = new ArrayList<>();
    String bootstrap = brokers;
    try {
      if (bootstrap == null) {
        out.println("Starting an embedded Kafka broker (KRaft, single node) ...");
        embedded = EmbeddedKafka.start();
        bootstrap = embedded.bootstrapServers();
      }
      out.println("Kafka: " + bootstrap + "   topics: " + String.join(", ", topics.values()));
      createTopics(bootstrap, topics);

      int otlpPort = freePort();
      Path file = dir.resolve("processing-output.jsonl");
      Path ingestionYaml =
          write(dir.resolve("ingestion.yaml"), DemoConfigs.ingestion(otlpPort, bootstrap, topics));
      Path processingYaml =
          write(
              dir.resolve("processing.yaml"), DemoConfigs.processing(bootstrap, topics, run, file));
      Path clientYaml = write(dir.resolve("generator.yaml"), DemoConfigs.client(rate, otlpPort));
      out.println("Configs: " + ingestionYaml + ", " + processingYaml + ", " + clientYaml);

      MetricsRegistry ingestionMetrics = new MetricsRegistry();
      MetricsRegistry processingMetrics = new MetricsRegistry();
      MetricsRegistry clientMetrics = new MetricsRegistry();
      Service processing = service(processingYaml, processingMetrics);
      Service ingestion = service(ingestionYaml, ingestionMetrics);
      Service client = service(clientYaml, clientMetrics);
      for (Service s : List.of(processing, ingestion, client)) {
        s.start();
        started.add(s);
      }
      out.println(
          "Both tiers are up; the generator sends "
              + (rate == 0 ? "as fast as accepted" : rate + " items/s per signal")
              + " for "
              + GoDuration.format(runFor)
              + " over OTLP gRPC to 127.0.0.1:"
              + otlpPort);
      out.println();

      boolean tty = System.console() != null;
      long start = System.nanoTime();
      long end = start + runFor.toNanos();
      long lastLine = 0;
      while (System.nanoTime() < end) {
        Thread.sleep(250);
        long now = System.nanoTime();
        if (now - lastLine >= 1_000_000_000L) {
          lastLine = now;
          String line = progress(now - start, clientMetrics, ingestionMetrics, processingMetrics);
          out.print(tty ? "\r" + line : line + "\n");
          out.flush();
        }
      }
      out.print(tty ? "\n" : "");
      out.println(
          "Stopping the generator; waiting for the last sampling decisions (decision_wait "
              + GoDuration.format(DemoConfigs.DECISION_WAIT)
              + ") and draining both tiers ...");
      client.shutdown(Duration.ofSeconds(30));
      started.remove(client);

      long drainUntil =
          System.nanoTime() + Duration.ofSeconds(60).plus(DemoConfigs.DECISION_WAIT).toNanos();
      while (System.nanoTime() < drainUntil
          && !drained(clientMetrics, ingestionMetrics, processingMetrics)) {
        Thread.sleep(200);
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      ingestion.shutdown(Duration.ofSeconds(30));
      started.remove(ingestion);
      processing.shutdown(Duration.ofSeconds(30));
      started.remove(processing);
      return summary(
          out, seconds, runFor, file, clientMetrics, ingestionMetrics, processingMetrics);
    } catch (ServiceException | ConfigException e) {
      env.err().println("Error: " + e.getMessage());
      return 1;
    } finally {
      for (int i = started.size() - 1; i >= 0; i--) {
        started.get(i).shutdown(Duration.ofSeconds(10));
      }
      if (brokers != null) {
        deleteTopics(bootstrap, topics);
      }
      if (embedded != null) {
        embedded.close();
      }
    }
  }

  private Service service(Path yaml, MetricsRegistry metrics)
      throws ConfigException, ServiceException {
    var cfg =
        new ConfigLoader(env.registry(), System::getenv).load(List.of(yaml.toString()), List.of());
    Service s = new Service(cfg, env.build(), metrics, Clock.systemUTC());
    s.build();
    return s;
  }

  private static String progress(
      long nanos, MetricsRegistry client, MetricsRegistry ingestion, MetricsRegistry processing) {
    long sent = 0;
    long kafka = 0;
    long consumed = 0;
    long exported = 0;
    for (Signal s : DemoCounts.SIGNALS) {
      sent += sent(client, s);
      kafka += inKafka(ingestion, s);
      consumed += consumed(processing, s);
      exported += exported(processing, s);
    }
    long sampled = decided(processing, true);
    long traces = sampled + decided(processing, false);
    long lag = sum(processing, "otelcol_kafka_receiver_offset_lag", p -> true);
    double secs = Math.max(nanos / 1e9, 0.001);
    return String.format(
        Locale.ROOT,
        "[%4.0fs] sent %,d | in Kafka %,d | consumed %,d | sampled %,d of %,d traces "
            + "| exported %,d | lag %,d records | %,.0f items/s   ",
        secs,
        sent,
        kafka,
        consumed,
        sampled,
        traces,
        exported,
        lag,
        exported / secs);
  }

  private int summary(
      PrintStream out,
      double seconds,
      Duration runFor,
      Path file,
      MetricsRegistry client,
      MetricsRegistry ingestion,
      MetricsRegistry processing) {
    out.println();
    out.printf(
        Locale.ROOT,
        "%-14s %12s %12s %12s %12s %12s %12s %12s %12s%n",
        "signal",
        "sent",
        "ingested",
        "in Kafka",
        "consumed",
        "filtered",
        "not sampled",
        "exported",
        "lost");
    boolean ok = true;
    long totalExported = 0;
    for (Signal s : DemoCounts.SIGNALS) {
      long sent = sent(client, s);
      long kafka = inKafka(ingestion, s);
      long filtered = filtered(processing, s);
      long notSampled = notSampled(processing, s);
      long exported = exported(processing, s);
      long lost = Math.max(0, sent - (exported + filtered + notSampled));
      ok &= lost == 0 && sent > 0;
      totalExported += exported;
      out.printf(
          Locale.ROOT,
          "%-14s %,12d %,12d %,12d %,12d %,12d %12s %,12d %,12d%n",
          s.itemName(),
          sent,
          ingested(ingestion, s),
          kafka,
          consumed(processing, s),
          filtered,
          s == Signal.TRACES ? String.format(Locale.ROOT, "%,d", notSampled) : "-",
          exported,
          lost);
    }
    long duplicates = 0;
    for (Signal s : DemoCounts.SIGNALS) {
      duplicates += Math.max(0, consumed(processing, s) - inKafka(ingestion, s));
    }
    ok &= sampling(out, file, processing);
    out.println();
    out.printf(
        Locale.ROOT,
        "Generator ran %s; end to end %.1f s; %,.0f items/s exported; duplicates %,d "
            + "(at-least-once re-deliveries)%n",
        GoDuration.format(runFor),
        seconds,
        totalExported / seconds,
        duplicates);
    out.println(
        "Kafka records written: "
            + sum(ingestion, "otelcol_kafka_exporter_records", p -> true)
            + " (one per trace for spans: keyed by trace id)");
    out.println(
        "Dropped on purpose: health-check spans and logs below INFO by the processing tier's filter"
            + " (OTTL), traces no policy kept by tail_sampling.");
    out.println("Output: " + file);
    out.println(
        ok
            ? "RESULT: OK - every acknowledged item was exported or dropped on purpose; nothing"
                + " lost."
            : "RESULT: FAILED - counts do not reconcile (see 'lost' and the tail sampling lines).");
    return ok ? 0 : 1;
  }

  /** The tail_sampling part of the summary: decisions per policy, and its reconciliation. */
  private static boolean sampling(PrintStream out, Path file, MetricsRegistry processing) {
    long sampled = decided(processing, true);
    long dropped = decided(processing, false);
    long traces = sampled + dropped;
    long received = sum(processing, TAIL_SAMPLING + "new_trace_id_received", p -> true);
    long onMemory = sum(processing, TAIL_SAMPLING + "sampling_traces_on_memory", p -> true);
    long in = samplingIn(processing);
    long kept = samplingOut(processing);
    long exported = exported(processing, Signal.TRACES);
    long inFile;
    try {
      inFile = spansInFile(file);
    } catch (IOException | RuntimeException e) {
      out.println("Cannot read the output file " + file + ": " + e);
      inFile = -1;
    }
    out.println();
    out.printf(
        Locale.ROOT,
        "Tail sampling (decision_wait %s): %,d traces decided, %,d sampled (%s), %,d not "
            + "sampled%n",
        GoDuration.format(DemoConfigs.DECISION_WAIT),
        traces,
        sampled,
        percent(sampled, traces),
        dropped);
    boolean policiesOk = true;
    for (String p : DemoConfigs.POLICIES) {
      long yes = policy(processing, p, true);
      long all = yes + policy(processing, p, false);
      policiesOk &= all == traces;
      out.printf(
          Locale.ROOT,
          "  policy %-12s sampled %,9d of %,d traces (%s)%n",
          p,
          yes,
          all,
          percent(yes, all));
    }
    boolean spansOk = exported == kept && inFile == exported;
    boolean tracesOk = traces == received && onMemory == 0 && traces > 0 && sampled > 0;
    out.printf(
        Locale.ROOT,
        "  spans exported %,d == spans in sampled traces %,d == spans in the output file %,d: "
            + "%s%n",
        exported,
        kept,
        inFile,
        spansOk ? "OK" : "MISMATCH");
    out.printf(
        Locale.ROOT,
        "  spans into tail_sampling %,d = %,d sampled + %,d dropped by decision%n",
        in,
        kept,
        in - kept);
    out.printf(
        Locale.ROOT,
        "  traces decided %,d == traces received %,d, %,d undecided; every policy judged every"
            + " trace: %s%n",
        traces,
        received,
        onMemory,
        tracesOk && policiesOk ? "OK" : "MISMATCH");
    return spansOk && tracesOk && policiesOk;
  }

  private static String percent(long part, long whole) {
    return whole == 0 ? "-" : String.format(Locale.ROOT, "%.1f%%", 100.0 * part / whole);
  }

  private static Path write(Path p, String yaml) throws IOException {
    Files.writeString(p, yaml);
    return p;
  }

  // ---- topics
  // --------------------------------------------------------------------------------------------------

  private static void createTopics(String bootstrap, Map<Signal, String> topics)
      throws InterruptedException {
    Properties p = new Properties();
    p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    try (Admin admin = Admin.create(p)) {
      List<NewTopic> nt = new ArrayList<>();
      for (String t : topics.values()) {
        // the cluster's default.replication.factor: 1 on the embedded broker, 3 on a 3-node cluster
        nt.add(new NewTopic(t, Optional.of(6), Optional.empty()));
      }
      admin.createTopics(nt).all().get();
    } catch (ExecutionException e) {
      if (!(e.getCause() instanceof org.apache.kafka.common.errors.TopicExistsException)) {
        throw new IllegalStateException(
            "cannot create the demo topics on " + bootstrap + ": " + e.getCause(), e);
      }
    }
  }

  private static void deleteTopics(String bootstrap, Map<Signal, String> topics) {
    Properties p = new Properties();
    p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    try (Admin admin = Admin.create(p)) {
      admin.deleteTopics(topics.values()).all().get();
    } catch (Exception e) {
      // best effort: the demo's own topics on a cluster it does not own
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
