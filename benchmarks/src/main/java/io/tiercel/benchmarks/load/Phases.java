package io.tiercel.benchmarks.load;

import io.tiercel.core.component.ComponentId;
import io.tiercel.core.component.Deadline;
import io.tiercel.core.component.Exporter;
import io.tiercel.core.component.Kind;
import io.tiercel.core.component.Settings;
import io.tiercel.core.config.ConfigBinder;
import io.tiercel.core.consumer.Context;
import io.tiercel.core.pdata.Signal;
import io.tiercel.core.pdata.Traces;
import io.tiercel.otlp.exporter.OtlpExporterFactory;
import io.tiercel.otlp.exporter.OtlpGrpcExporterConfig;
import io.tiercel.otlp.exporter.OtlpHttpExporterConfig;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.producer.KafkaProducer;

/**
 * The measured phases of one pass: the ingestion tier, the processing tier, and their raw-client
 * baselines.
 */
final class Phases {
  private static final Duration TIER_START = Duration.ofSeconds(90);

  private final LoadTool.Kafka kafka;
  private final Workload data;
  private final LoadTool.Settings s;
  private final Path dir;
  private final PrintStream out;
  private final AtomicInteger seq = new AtomicInteger();
  private final RawKafka raw;

  Phases(LoadTool.Kafka kafka, Workload data, LoadTool.Settings s, Path dir, PrintStream out) {
    this.kafka = kafka;
    this.data = data;
    this.s = s;
    this.dir = dir;
    this.out = out;
    this.raw = new RawKafka(kafka, data, s, out, seq);
  }

  // ---- ingestion
  // -------------------------------------------------------------------------------------------

  Result ingestion(int pass, Path userConfig) throws Exception {
    String topic = "load_ingestion_" + pass;
    kafka.createTopic(topic, s.partitions());
    int grpcPort = TierProcess.freePort();
    int httpPort = TierProcess.freePort();
    Path yaml = userConfig != null ? userConfig : BuiltInConfigs.ingestion(dir);
    List<String> sets =
        new ArrayList<>(
            List.of(
                "receivers.otlp.protocols.grpc.endpoint=127.0.0.1:" + grpcPort,
                "receivers.otlp.protocols.http.endpoint=127.0.0.1:" + httpPort,
                "exporters.kafka.brokers=[" + kafka.bootstrap + "]",
                "exporters.kafka.traces.topic=" + topic));
    sets.addAll(healthCheck(yaml));
    String load =
        String.format(
            Locale.ROOT, "OTLP %s, %s, %s", s.protocol(), rateLabel(), seconds(s.duration()));
    out.printf(
        Locale.ROOT, "%n[pass %d] ingestion tier (%s): %s%n", pass, yaml.getFileName(), load);

    Result.Baseline baseline;
    Result r;
    Path log = dir.resolve("ingestion-" + pass + ".log");
    try (TierProcess tier =
            TierProcess.start(
                yaml, sets, Map.of("KAFKA_BROKERS", kafka.bootstrap), s.tierJvmOptions(), log);
        TopicReader reader = new TopicReader(kafka.bootstrap, topic).startBackground()) {
      tier.awaitPort(s.protocol() == LoadTool.Protocol.grpc ? grpcPort : httpPort, TIER_START);
      Exporter<Traces> client =
          otlpClient(s.protocol() == LoadTool.Protocol.grpc ? grpcPort : httpPort);
      client.start(null);
      try {
        Pacer.Unit request =
            (i, micros) -> {
              Workload.Template t = data.request(i);
              byte[] b = t.stamp(micros, seq.incrementAndGet());
              return new Pacer.Pending(client.consume(Context.EMPTY, Traces.ofBytes(b)), b.length);
            };
        Pacer.Sent warm =
            Pacer.run(
                s.warmup(), Long.MAX_VALUE, s.rate(), s.window(), 0, s.spansPerRequest(), request);
        LatencyHistogram latency = reader.measureFrom(Pacer.nowMicros());
        double cpu0 = tier.cpuSeconds();
        long t0 = System.nanoTime();
        Pacer.Sent m =
            Pacer.run(
                s.duration(),
                Long.MAX_VALUE,
                s.rate(),
                s.window(),
                warm.units(),
                s.spansPerRequest(),
                request);
        double secs = (System.nanoTime() - t0) / 1e9;
        double cpu = tier.cpuSeconds() - cpu0;
        long sent = warm.ackedSpans() + m.ackedSpans();
        if (!reader.await(sent, Duration.ofSeconds(60))) {
          out.printf(
              Locale.ROOT,
              "  only %,d of %,d acknowledged spans were read back from Kafka%n",
              reader.spans(),
              sent);
        }
        Thread.sleep(500); // anything beyond what was acknowledged (duplicates) shows up too
        long rss = tier.peakRssBytes();
        long refused = (long) tier.counter("otelcol_processor_refused_spans", "");
        out.printf(
            Locale.ROOT,
            "  memory_limiter refused %,d spans = %,d requests (warm-up and window; the client"
                + " retried them)%n",
            refused,
            refused / s.spansPerRequest());
        if (m.firstFailure() != null || warm.firstFailure() != null) {
          Throwable f = m.firstFailure() != null ? m.firstFailure() : warm.firstFailure();
          out.println("  first failed request: " + f);
        }
        out.printf(
            Locale.ROOT,
            "  tier: %,d spans in %.1f s = %,.0f spans/s, %.2f CPU-s/M spans, peak RSS %,d MiB,"
                + " latency p50 %.1f ms p99 %.1f ms; Kafka has %,d spans in %,d records (%,d bytes"
                + " each)%n",
            m.ackedSpans(),
            secs,
            m.ackedSpans() / secs,
            cpu / (m.ackedSpans() / 1e6),
            rss >> 20,
            latency.quantile(0.5) / 1000.0,
            latency.quantile(0.99) / 1000.0,
            reader.spans(),
            reader.records(),
            reader.records() == 0 ? 0 : reader.bytes() / reader.records());
        r =
            new Result(
                pass,
                "ingestion",
                userConfig != null ? userConfig.getFileName().toString() : "built-in",
                load,
                m.ackedSpans(),
                secs,
                cpu,
                rss,
                m.ackedBytes(),
                latency.quantile(0.5),
                latency.quantile(0.99),
                sent,
                reader.spans(),
                reader.spans(),
                reader.spans(),
                warm.failedUnits() + m.failedUnits(),
                null,
                null);
      } finally {
        client.shutdown(Deadline.in(Duration.ofSeconds(10)));
      }
    } finally {
      kafka.deleteTopic(topic);
    }
    baseline = raw.producerBaseline(pass, r.in() - r.spans(), r.spans());
    return r.withBaseline(baseline);
  }

  private Exporter<Traces> otlpClient(int port) throws io.tiercel.core.config.ConfigException {
    Map<String, Object> user =
        Map.of(
            "endpoint",
            "http://127.0.0.1:" + port,
            "compression",
            s.compression(),
            "timeout",
            "30s",
            "sending_queue",
            Map.of(
                "wait_for_result",
                true,
                "num_consumers",
                s.window(),
                "queue_size",
                Math.max(1000, s.window() * 2)));
    Settings settings =
        Settings.forTest(
            Kind.EXPORTER,
            ComponentId.of(s.protocol() == LoadTool.Protocol.grpc ? "otlp_grpc" : "otlp_http"),
            Signal.TRACES);
    if (s.protocol() == LoadTool.Protocol.grpc) {
      OtlpExporterFactory.Grpc f = new OtlpExporterFactory.Grpc();
      return f.createTraces(
          settings,
          ConfigBinder.bind(
              OtlpGrpcExporterConfig.class, f.createDefaultConfig(), user, "exporters.otlp_grpc"));
    }
    OtlpExporterFactory.Http f = new OtlpExporterFactory.Http();
    return f.createTraces(
        settings,
        ConfigBinder.bind(
            OtlpHttpExporterConfig.class, f.createDefaultConfig(), user, "exporters.otlp_http"));
  }

  // ---- processing
  // ------------------------------------------------------------------------------------------

  Result processing(int pass, String name, Path yaml) throws Exception {
    String topic = "load_processing_" + pass + "_" + name.replaceAll("[^A-Za-z0-9_]", "_");
    kafka.createTopic(topic, s.partitions());
    try {
      if (s.rate() > 0) {
        return live(pass, name, yaml, topic);
      }
      out.printf(
          Locale.ROOT,
          "%n[pass %d] processing tier (%s, %s): pre-filling %,d spans%n",
          pass,
          name,
          yaml.getFileName(),
          s.prefill());
      Pacer.Sent fill = prefill(topic);
      long spans = fill.ackedSpans();
      Result.Baseline baseline = raw.consumerBaseline(topic, spans, s.drainLimit());
      return drain(pass, name, yaml, topic, spans, fill.ackedBytes()).withBaseline(baseline);
    } finally {
      kafka.deleteTopic(topic);
    }
  }

  /** Writes {@code --prefill} spans to {@code topic} as per-trace records with a raw producer. */
  Pacer.Sent prefill(String topic) throws Exception {
    Pacer.Sent fill;
    try (KafkaProducer<byte[], byte[]> producer = raw.producer()) {
      producer.partitionsFor(topic);
      fill =
          Pacer.run(
              Duration.ofDays(1),
              s.prefill(),
              0,
              64,
              0,
              s.spansPerRequest(),
              raw.recordsUnit(producer, topic));
    }
    if (fill.failedUnits() > 0) {
      throw new IllegalStateException("pre-filling the topic failed", fill.firstFailure());
    }
    return fill;
  }

  private List<String> processingSets(String topic, OtlpSink sink, Path yaml) throws IOException {
    List<String> sets =
        new ArrayList<>(
            List.of(
                "receivers.kafka.brokers=[" + kafka.bootstrap + "]",
                "receivers.kafka.traces.topics=[" + topic + "]",
                "receivers.kafka.group_id=tiercel-load-" + topic));
    if (exportsToSink(yaml)) {
      sets.add("exporters.otlp_grpc.endpoint=" + sink.endpoint());
    }
    sets.addAll(healthCheck(yaml));
    return sets;
  }

  /**
   * Starts a processing tier process on {@code topic} (group {@code tiercel-load-<topic>}), its log
   * named after {@code pass} and {@code name}.
   */
  TierProcess startProcessing(int pass, String name, Path yaml, String topic, OtlpSink sink)
      throws IOException {
    Path log =
        dir.resolve("processing-" + pass + "-" + name.replaceAll("[^A-Za-z0-9_]", "_") + ".log");
    return TierProcess.start(
        yaml,
        processingSets(topic, sink, yaml),
        Map.of("KAFKA_BROKERS", kafka.bootstrap, "OTLP_ENDPOINT", sink.endpoint()),
        s.tierJvmOptions(),
        log);
  }

  /**
   * Drain mode: the tier starts on the pre-filled topic. The tier's CPU and counters are sampled
   * every 100 ms; the whole-drain window starts at the last sample before it polled a record and
   * ends at the first sample where it had finished every span. The steady-state window runs from
   * the sample where the tier had accepted 20 % of the spans to the one where it had accepted 90 %
   * (JIT warm-up and the tail left out), with CPU per thread group, allocation and GC (see {@link
   * TierProbe}). Latency is not measured (the records' age is the backlog's: only printed).
   */
  private Result drain(int pass, String name, Path yaml, String topic, long spans, long bytes)
      throws Exception {
    boolean toSink = exportsToSink(yaml);
    try (OtlpSink sink = new OtlpSink(Pacer::nowMicros)) {
      LatencyHistogram age = sink.measureFrom(0);
      long spawned = System.nanoTime();
      try (TierProcess tier = startProcessing(pass, name, yaml, topic, sink)) {
        TierSample prev = new TierSample(spawned, 0, 0, 0, 0);
        TierSample start = null;
        TierProbe probe = null;
        TierProbe.Snapshot from = null;
        TierProbe.Steady steady = null;
        long deadline = spawned + s.drainLimit().toNanos();
        while (true) {
          TierSample now = TierSample.of(tier);
          if (probe == null && now.polled() > 0) {
            probe = tier.probe(); // connected before 20 %: the connect is not in the window
          }
          if (start == null && now.polled() > 0) {
            start = prev;
          }
          if (probe != null && from == null && now.accepted() >= spans * 0.2) {
            from = probe.snapshot(tier, now.accepted());
          } else if (from != null && steady == null && now.accepted() >= spans * 0.9) {
            steady = TierProbe.Steady.between(from, probe.snapshot(tier, now.accepted()));
          }
          if (start != null && now.finished(spans, toSink ? sink : null)) {
            if (steady == null) {
              out.println("  no steady-state window: 20 % and 90 % fell in one 100 ms sample");
            } else {
              out.println("  " + steady.summary());
            }
            return result(
                    pass,
                    name,
                    String.format(Locale.ROOT, "drain %,d pre-filled", spans),
                    tier,
                    sink,
                    start,
                    now,
                    spans,
                    spans,
                    bytes,
                    null,
                    String.format(
                        Locale.ROOT,
                        "age of the backlog at the sink p50 %.0f" + " ms p99 %.0f ms",
                        age.quantile(0.5) / 1000.0,
                        age.quantile(0.99) / 1000.0))
                .withSteady(steady, toSink);
          }
          if (now.nanos() > deadline) {
            return timedOut(
                pass, name, tier, sink, start != null ? start : prev, now, spans, bytes);
          }
          prev = now;
          Thread.sleep(TierSample.INTERVAL_MILLIS);
        }
      }
    }
  }

  /** True when the config exports to the tool's OTLP sink (not, e.g., to a file). */
  static boolean exportsToSink(Path yaml) throws IOException {
    return Files.readString(yaml).contains("otlp_grpc");
  }

  /**
   * Live mode: the tier runs on an empty topic while the tool produces per-trace records at {@code
   * --rate} (warm-up first); latency = produce time (stamped in the trace ids) to arrival at the
   * sink.
   */
  private Result live(int pass, String name, Path yaml, String topic) throws Exception {
    String load =
        String.format(Locale.ROOT, "live %,.0f spans/s, %s", s.rate(), seconds(s.duration()));
    out.printf(
        Locale.ROOT,
        "%n[pass %d] processing tier (%s, %s): %s%n",
        pass,
        name,
        yaml.getFileName(),
        load);
    Result r;
    long total;
    try (OtlpSink sink = new OtlpSink(Pacer::nowMicros);
        TierProcess tier = startProcessing(pass, name, yaml, topic, sink);
        KafkaProducer<byte[], byte[]> producer = raw.producer()) {
      producer.partitionsFor(topic);
      tier.awaitMetrics(TIER_START);
      Pacer.Unit unit = raw.recordsUnit(producer, topic);
      Pacer.Sent warm =
          Pacer.run(s.warmup(), Long.MAX_VALUE, s.rate(), 64, 0, s.spansPerRequest(), unit);
      TierSample.awaitFinished(tier, sink, warm.ackedSpans(), s.drainLimit());
      LatencyHistogram latency = sink.measureFrom(Pacer.nowMicros());
      TierSample start = TierSample.of(tier);
      Pacer.Sent m =
          Pacer.run(
              s.duration(), Long.MAX_VALUE, s.rate(), 64, warm.units(), s.spansPerRequest(), unit);
      total = warm.ackedSpans() + m.ackedSpans();
      if (m.failedUnits() + warm.failedUnits() > 0) {
        throw new IllegalStateException(
            "producing failed", m.firstFailure() != null ? m.firstFailure() : warm.firstFailure());
      }
      TierSample end = TierSample.awaitFinished(tier, sink, total, s.drainLimit());
      if (end == null) {
        return timedOut(pass, name, tier, sink, start, TierSample.of(tier), total, m.ackedBytes())
            .withBaseline(raw.consumerBaseline(topic, total, s.drainLimit()));
      }
      r =
          result(
              pass,
              name,
              load,
              tier,
              sink,
              start,
              end,
              m.ackedSpans(),
              total,
              m.ackedBytes(),
              latency,
              null);
    }
    return r.withBaseline(raw.consumerBaseline(topic, total, s.drainLimit()));
  }

  private Result result(
      int pass,
      String name,
      String load,
      TierProcess tier,
      OtlpSink sink,
      TierSample start,
      TierSample end,
      long spans,
      long in,
      long bytes,
      LatencyHistogram latency,
      String note) {
    double secs = (end.nanos() - start.nanos()) / 1e9;
    double cpu = end.cpu() - start.cpu();
    long rss = tier.peakRssBytes();
    long p50 = latency == null ? -1 : latency.quantile(0.5);
    long p99 = latency == null ? -1 : latency.quantile(0.99);
    out.printf(
        Locale.ROOT,
        "  tier: %,d spans in %.1f s = %,.0f spans/s, %.2f CPU-s/M spans, peak RSS %,d MiB; "
            + "exported %,d spans (sink %,d); %s%n",
        spans,
        secs,
        spans / secs,
        cpu / (spans / 1e6),
        rss >> 20,
        (long) end.exported(),
        sink.spans(),
        note != null
            ? note
            : String.format(
                Locale.ROOT, "latency p50 %.1f ms p99 %.1f ms", p50 / 1000.0, p99 / 1000.0));
    return new Result(
        pass,
        "processing",
        name,
        load,
        spans,
        secs,
        cpu,
        rss,
        bytes,
        p50,
        p99,
        in,
        (long) end.accepted(),
        (long) end.exported(),
        sink.spans(),
        0,
        null,
        null);
  }

  private Result timedOut(
      int pass,
      String name,
      TierProcess tier,
      OtlpSink sink,
      TierSample start,
      TierSample now,
      long spans,
      long bytes) {
    out.printf(
        Locale.ROOT,
        "  the tier did not finish in %s: accepted %,.0f of %,d spans, exported %,.0f, sink "
            + "%,d%n%s%n",
        s.drainLimit(),
        now.accepted(),
        spans,
        now.exported(),
        sink.spans(),
        tier.logTail());
    return new Result(
        pass,
        "processing",
        name,
        "timed out",
        spans,
        (now.nanos() - start.nanos()) / 1e9,
        now.cpu() - start.cpu(),
        tier.peakRssBytes(),
        bytes,
        -1,
        -1,
        spans,
        (long) now.accepted(),
        (long) now.exported(),
        sink.spans(),
        1,
        null,
        null);
  }

  /**
   * A config that has a {@code health_check} extension gets it on a free loopback port (not 13133).
   */
  private static List<String> healthCheck(Path yaml) throws IOException {
    return Files.readString(yaml).contains("health_check")
        ? List.of("extensions.health_check.endpoint=127.0.0.1:" + TierProcess.freePort())
        : List.of();
  }

  private String rateLabel() {
    return s.rate() == 0 ? "max rate" : String.format(Locale.ROOT, "%,.0f spans/s", s.rate());
  }

  private static String seconds(Duration d) {
    return d.toMillis() % 1000 == 0 ? d.toSeconds() + "s" : d.toMillis() + "ms";
  }
}
