package io.tiercel.distributions.demo;

import io.opentelemetry.proto.trace.v1.TracesData;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.DataPointSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.tiercel.core.cli.CommandProvider;
import io.tiercel.core.config.ConfigException;
import io.tiercel.core.config.ConfigLoader;
import io.tiercel.core.config.GoDuration;
import io.tiercel.core.pdata.Signal;
import io.tiercel.core.pdata.json.OtlpJson;
import io.tiercel.core.service.Service;
import io.tiercel.core.service.ServiceException;
import io.tiercel.core.telemetry.MetricsRegistry;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.function.Predicate;
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
  /**
   * The demo's tail_sampling {@code decision_wait}: short, so that the summary follows the
   * generator quickly.
   */
  static final Duration DECISION_WAIT = Duration.ofSeconds(2);

  /** Its policies, in order (the shipped processing.yaml's). */
  static final List<String> POLICIES = List.of("errors", "slow", "ten-percent");

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
    for (Signal s : Signal.values()) {
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
          write(dir.resolve("ingestion.yaml"), ingestion(otlpPort, bootstrap, topics));
      Path processingYaml =
          write(dir.resolve("processing.yaml"), processing(bootstrap, topics, run, file));
      Path clientYaml = write(dir.resolve("generator.yaml"), client(otlpPort));
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
              + GoDuration.format(DECISION_WAIT)
              + ") and draining both tiers ...");
      client.shutdown(Duration.ofSeconds(30));
      started.remove(client);

      long drainUntil = System.nanoTime() + Duration.ofSeconds(60).plus(DECISION_WAIT).toNanos();
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

  // ---- counts
  // ----------------------------------------------------------------------------------------------

  /** Sum of a counter's (or gauge's) data points whose labels pass {@code labels}. */
  static long sum(MetricsRegistry m, String name, Predicate<DataPointSnapshot> labels) {
    double total = 0;
    for (MetricSnapshot snap : m.prometheus().scrape()) {
      if (!snap.getMetadata().getName().equals(name)) {
        continue;
      }
      if (snap instanceof CounterSnapshot c) {
        for (var p : c.getDataPoints()) {
          total += labels.test(p) ? p.getValue() : 0;
        }
      } else if (snap instanceof GaugeSnapshot g) {
        for (var p : g.getDataPoints()) {
          total += labels.test(p) ? p.getValue() : 0;
        }
      }
    }
    return Math.round(total);
  }

  private static Predicate<DataPointSnapshot> label(String key, String value) {
    return p -> value.equals(p.getLabels().get(key));
  }

  private static long sent(MetricsRegistry client, Signal s) {
    return sum(client, "otelcol_generator_sent_items", label("signal", s.id()));
  }

  private static long ingested(MetricsRegistry ingestion, Signal s) {
    return sum(ingestion, "otelcol_receiver_accepted_" + s.itemName(), p -> true);
  }

  private static long inKafka(MetricsRegistry ingestion, Signal s) {
    return sum(ingestion, "otelcol_exporter_sent_" + s.itemName(), p -> true);
  }

  private static long consumed(MetricsRegistry processing, Signal s) {
    return sum(processing, "otelcol_receiver_accepted_" + s.itemName(), p -> true);
  }

  private static long filtered(MetricsRegistry processing, Signal s) {
    String item =
        switch (s) {
          case TRACES -> "spans";
          case METRICS -> "datapoints";
          case LOGS -> "logs";
        };
    return sum(processing, "otelcol_processor_filter_" + item + "_filtered", p -> true);
  }

  private static long exported(MetricsRegistry processing, Signal s) {
    return sum(processing, "otelcol_exporter_sent_" + s.itemName(), p -> true);
  }

  private static final String TS = "otelcol_processor_tail_sampling_";

  /** Spans into tail_sampling (the service's count in front of the processor). */
  private static long samplingIn(MetricsRegistry processing) {
    return sum(processing, "otelcol_processor_incoming_items", label("processor", "tail_sampling"));
  }

  /**
   * Spans tail_sampling passed on: the spans of the sampled traces (late spans of sampled traces
   * included).
   */
  private static long samplingOut(MetricsRegistry processing) {
    return sum(processing, "otelcol_processor_outgoing_items", label("processor", "tail_sampling"));
  }

  /** Traces decided, by the final decision. */
  private static long decided(MetricsRegistry processing, boolean sampled) {
    return sum(
        processing,
        TS + "global_count_traces_sampled",
        label("sampled", Boolean.toString(sampled)));
  }

  /** Traces a policy said sample (or not) for. */
  private static long policy(MetricsRegistry processing, String policy, boolean sampled) {
    return sum(
        processing,
        TS + "count_traces_sampled",
        label("policy", policy).and(label("sampled", Boolean.toString(sampled))));
  }

  /** Spans dropped by a sampling decision; exact once nothing is buffered (no trace on memory). */
  private static long notSampled(MetricsRegistry processing, Signal s) {
    return s == Signal.TRACES ? samplingIn(processing) - samplingOut(processing) : 0;
  }

  private static boolean drained(
      MetricsRegistry client, MetricsRegistry ingestion, MetricsRegistry processing) {
    for (Signal s : Signal.values()) {
      if (inKafka(ingestion, s) < sent(client, s)) {
        return false;
      }
      if (s == Signal.TRACES) {
        // a record is accepted only once its traces were decided (and the sampled ones exported)
        if (consumed(processing, s) < inKafka(ingestion, s)
            || sum(processing, TS + "sampling_traces_on_memory", p -> true) > 0
            || exported(processing, s) < samplingOut(processing)) {
          return false;
        }
      } else if (exported(processing, s) + filtered(processing, s) < inKafka(ingestion, s)) {
        return false;
      }
    }
    return true;
  }

  private static String progress(
      long nanos, MetricsRegistry client, MetricsRegistry ingestion, MetricsRegistry processing) {
    long sent = 0;
    long kafka = 0;
    long consumed = 0;
    long exported = 0;
    for (Signal s : Signal.values()) {
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
    for (Signal s : Signal.values()) {
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
    for (Signal s : Signal.values()) {
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
    long received = sum(processing, TS + "new_trace_id_received", p -> true);
    long onMemory = sum(processing, TS + "sampling_traces_on_memory", p -> true);
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
        GoDuration.format(DECISION_WAIT),
        traces,
        sampled,
        percent(sampled, traces),
        dropped);
    boolean policiesOk = true;
    for (String p : POLICIES) {
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

  /**
   * Spans in the file exporter's output (OTLP JSON lines; the traces lines are the {@code
   * resourceSpans} ones).
   */
  static long spansInFile(Path file) throws IOException {
    if (!Files.exists(file)) {
      return 0;
    }
    long n = 0;
    try (var lines = Files.lines(file)) {
      for (String line : (Iterable<String>) lines::iterator) {
        if (line.startsWith("{\"resourceSpans\"")) {
          TracesData t = OtlpJson.decodeTraces(line.getBytes(StandardCharsets.UTF_8));
          for (var rs : t.getResourceSpansList()) {
            for (var ss : rs.getScopeSpansList()) {
              n += ss.getSpansCount();
            }
          }
        }
      }
    }
    return n;
  }

  // ---- configs
  // -------------------------------------------------------------------------------------------------

  private static Path write(Path p, String yaml) throws IOException {
    Files.writeString(p, yaml);
    return p;
  }

  private String client(int otlpPort) {
    return """
    # The load: a generator sending over OTLP gRPC, acknowledged only when the ingestion tier has the data in Kafka.
    # Traces of 5 spans: about 5%% have an error span (1%% of spans), about 9%% last over 1 s (roots last 5 ms to
    # 1.1 s), so each of tail sampling's policies has something to keep.
    receivers:
      generator:
        seed: 42
        rate: %d
        batch_size: 100
        max_in_flight: 16
        traces: {spans_per_trace: 5, error_ratio: 0.01, min_duration: 5ms, max_duration: 1100ms}
    exporters:
      otlp_grpc:
        endpoint: http://127.0.0.1:%d
        sending_queue: {wait_for_result: true}
        retry_on_failure: {initial_interval: 100ms, max_interval: 1s}
    service:
      telemetry: {metrics: {level: none}}
      pipelines:
        traces: {receivers: [generator], exporters: [otlp_grpc]}
        metrics: {receivers: [generator], exporters: [otlp_grpc]}
        logs: {receivers: [generator], exporters: [otlp_grpc]}
    """
        .formatted(rate, otlpPort);
  }

  private static String ingestion(int otlpPort, String bootstrap, Map<Signal, String> topics) {
    return """
    # Ingestion tier: OTLP in, Kafka out (one record per trace, keyed by trace id).
    receivers:
      otlp:
        protocols:
          grpc: {endpoint: 127.0.0.1:%d}
    processors:
      memory_limiter: {check_interval: 1s, limit_percentage: 85, spike_limit_percentage: 15}
      batch: {timeout: 100ms, send_batch_size: 4096}
    exporters:
      kafka:
        brokers: [%s]
        traces: {topic: %s}
        metrics: {topic: %s}
        logs: {topic: %s}
        partition_traces_by_id: true
        partition_metrics_by_resource_attributes: true
        partition_logs_by_resource_attributes: true
        producer: {required_acks: all, compression: lz4}
        sending_queue: {wait_for_result: true}
    service:
      telemetry: {metrics: {level: none}}
      pipelines:
        traces: {receivers: [otlp], processors: [memory_limiter, batch], exporters: [kafka]}
        metrics: {receivers: [otlp], processors: [memory_limiter, batch], exporters: [kafka]}
        logs: {receivers: [otlp], processors: [memory_limiter, batch], exporters: [kafka]}
    """
        .formatted(
            otlpPort,
            bootstrap,
            topics.get(Signal.TRACES),
            topics.get(Signal.METRICS),
            topics.get(Signal.LOGS));
  }

  private static String processing(
      String bootstrap, Map<Signal, String> topics, String run, Path file) {
    return """
    # Processing tier: a consumer group in (offsets committed only after export or a drop on purpose), OTTL
    # filter/transform, tail sampling of traces (as the shipped processing.yaml, with a short decision_wait), file out.
    receivers:
      kafka:
        brokers: [%s]
        group_id: tiercel-demo-%s
        initial_offset: earliest
        traces: {topics: [%s]}
        metrics: {topics: [%s]}
        logs: {topics: [%s]}
        # per partition: >= records/s per partition x (decision_wait + 1 s tick), here >= 1,500 x 3 s
        max_in_flight: {records: 5000, bytes: 16777216}
    processors:
      filter:
        error_mode: ignore
        traces:
          span:
            - IsMatch(span.attributes["url.path"], "^/(health|healthz|metrics)(/|$)")
        logs:
          log_record:
            - severity_number < SEVERITY_NUMBER_INFO
      transform:
        trace_statements:
          - set(span.attributes["tiercel.tier"], "processing")
      tail_sampling:
        decision_wait: %s
        num_traces: 50000
        decision_cache: {sampled_cache_size: 100000, non_sampled_cache_size: 100000}
        policies:
          - {name: %s, type: status_code, status_code: {status_codes: [ERROR]}}
          - {name: %s, type: latency, latency: {threshold_ms: 1000}}
          - {name: %s, type: probabilistic, probabilistic: {sampling_percentage: 10}}
      batch: {timeout: 200ms}
    exporters:
      file: {path: %s}
    service:
      telemetry: {metrics: {level: none}}
      pipelines:
        traces: {receivers: [kafka], processors: [filter, transform, tail_sampling, batch], exporters: [file]}
        metrics: {receivers: [kafka], processors: [batch], exporters: [file]}
        logs: {receivers: [kafka], processors: [filter, batch], exporters: [file]}
    """
        .formatted(
            bootstrap,
            run,
            topics.get(Signal.TRACES),
            topics.get(Signal.METRICS),
            topics.get(Signal.LOGS),
            GoDuration.format(DECISION_WAIT),
            POLICIES.get(0),
            POLICIES.get(1),
            POLICIES.get(2),
            file);
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
        nt.add(new NewTopic(t, 6, (short) 1));
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
