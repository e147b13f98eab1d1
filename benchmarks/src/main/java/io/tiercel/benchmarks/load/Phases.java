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
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The measured phases of one pass: the ingestion tier, the processing tier, and their raw-client
 * baselines.
 */
final class Phases {
  private static final Duration TIER_START = Duration.ofSeconds(90);
  private static final Duration DRAIN_LIMIT = Duration.ofMinutes(5);
  private static final long SAMPLE_MILLIS = 100;

  private final LoadTool.Kafka kafka;
  private final Workload data;
  private final LoadTool.Settings s;
  private final Path dir;
  private final PrintStream out;
  private final AtomicInteger seq = new AtomicInteger();

  Phases(LoadTool.Kafka kafka, Workload data, LoadTool.Settings s, Path dir, PrintStream out) {
    this.kafka = kafka;
    this.data = data;
    this.s = s;
    this.dir = dir;
    this.out = out;
  }

  // ---- ingestion
  // -------------------------------------------------------------------------------------------

  Result ingestion(int pass, Path userConfig) throws Exception {
    String topic = "load_ingestion_" + pass;
    kafka.createTopic(topic, s.partitions());
    int grpcPort = TierProcess.freePort();
    int httpPort = TierProcess.freePort();
    Path yaml = userConfig != null ? userConfig : builtInIngestion(dir);
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
                null);
      } finally {
        client.shutdown(Deadline.in(Duration.ofSeconds(10)));
      }
    } finally {
      kafka.deleteTopic(topic);
    }
    baseline = rawProducer(pass, r.in() - r.spans(), r.spans());
    return withBaseline(r, baseline);
  }

  /**
   * The same per-trace records the tier writes, sent by a raw producer with the exporter's
   * settings: as many spans as the tier had in its warm-up and its window (not for as long: at max
   * rate the producer would write gigabytes, and the broker of a small machine then stalled the
   * next phase's producer for minutes).
   */
  private Result.Baseline rawProducer(int pass, long warmSpans, long spans) throws Exception {
    String topic = "load_raw_producer_" + pass;
    kafka.createTopic(topic, s.partitions());
    try (KafkaProducer<byte[], byte[]> producer = producer()) {
      producer.partitionsFor(topic);
      Pacer.Unit unit = recordsUnit(producer, topic);
      Duration limit = s.warmup().plus(s.duration()).multipliedBy(3);
      Pacer.run(limit, warmSpans, s.rate(), s.window(), 0, s.spansPerRequest(), unit);
      double cpu0 = ProcStat.cpuSeconds(ProcStat.self());
      long t0 = System.nanoTime();
      Pacer.Sent m = Pacer.run(limit, spans, s.rate(), s.window(), 0, s.spansPerRequest(), unit);
      double secs = (System.nanoTime() - t0) / 1e9;
      double cpu = ProcStat.cpuSeconds(ProcStat.self()) - cpu0;
      if (m.failedUnits() > 0) {
        throw new IllegalStateException("the raw producer failed", m.firstFailure());
      }
      out.printf(
          Locale.ROOT,
          "  raw KafkaProducer: %,d spans in %.1f s = %,.0f spans/s, %.2f CPU-s/M spans (tool "
              + "process)%n",
          m.ackedSpans(),
          secs,
          m.ackedSpans() / secs,
          cpu / (m.ackedSpans() / 1e6));
      return new Result.Baseline("raw KafkaProducer", m.ackedSpans(), secs, cpu, m.ackedBytes());
    } finally {
      kafka.deleteTopic(topic);
    }
  }

  /**
   * Unit i = the per-trace records of request i, stamped; acknowledged when Kafka acknowledged all
   * of them.
   */
  private Pacer.Unit recordsUnit(KafkaProducer<byte[], byte[]> producer, String topic) {
    return (i, micros) -> {
      List<Workload.Template> recs = data.records(i);
      int stamp = seq.incrementAndGet();
      CompletableFuture<Void> done = new CompletableFuture<>();
      AtomicInteger left = new AtomicInteger(recs.size());
      long bytes = 0;
      for (Workload.Template t : recs) {
        byte[] v = t.stamp(micros, stamp);
        byte[] k = t.traceIdHex(v).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        bytes += v.length + k.length;
        producer.send(
            new ProducerRecord<>(topic, k, v),
            (md, e) -> {
              if (e != null) {
                done.completeExceptionally(e);
              } else if (left.decrementAndGet() == 0) {
                done.complete(null);
              }
            });
      }
      return new Pacer.Pending(done, bytes);
    };
  }

  private KafkaProducer<byte[], byte[]> producer() {
    Map<String, Object> p = new HashMap<>();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrap);
    p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    // the kafka exporter's settings in the built-in config: acks=all, lz4, its default linger and
    // batch size
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
    p.put(ProducerConfig.LINGER_MS_CONFIG, 10);
    p.put(ProducerConfig.BATCH_SIZE_CONFIG, 1 << 20);
    p.put(
        ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG,
        300_000); // a loaded machine's broker may stall for a while
    // not idempotent: on the loaded 2-core machine, after a timed-out request the idempotent
    // producer's partition
    // went into an OutOfOrderSequenceException loop (the broker log) and its records expired
    // unsent; acks=all
    // still means the records are durable, and the load has no retries to deduplicate
    p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, false);
    return new KafkaProducer<>(p);
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
      Pacer.Sent fill;
      try (KafkaProducer<byte[], byte[]> producer = producer()) {
        producer.partitionsFor(topic);
        fill =
            Pacer.run(
                Duration.ofDays(1),
                s.prefill(),
                0,
                64,
                0,
                s.spansPerRequest(),
                recordsUnit(producer, topic));
      }
      if (fill.failedUnits() > 0) {
        throw new IllegalStateException("pre-filling the topic failed", fill.firstFailure());
      }
      long spans = fill.ackedSpans();
      Result.Baseline baseline = rawConsumer(topic, spans);
      return withBaseline(drain(pass, name, yaml, topic, spans, fill.ackedBytes()), baseline);
    } finally {
      kafka.deleteTopic(topic);
    }
  }

  /** One look at the tier: its CPU and counters. */
  private record Sample(long nanos, double cpu, double polled, double accepted, double exported) {
    static Sample of(TierProcess tier) throws InterruptedException {
      tier.checkAlive();
      long now = System.nanoTime();
      double cpu = tier.cpuSeconds();
      try {
        return new Sample(
            now,
            cpu,
            tier.counter("otelcol_kafka_receiver_records", ""),
            tier.counter("otelcol_receiver_accepted_spans", ""),
            tier.counter("otelcol_exporter_sent_spans", ""));
      } catch (IOException e) {
        return new Sample(now, cpu, 0, 0, 0); // the endpoint is not up yet
      }
    }

    /**
     * The tier finished {@code spans}: accepted them all (exported, or dropped on purpose) and the
     * sink has what it exported (it may hold more than the tier counted as exported: a retry after
     * a timed-out export).
     */
    boolean finished(long spans, OtlpSink sink) {
      return accepted >= spans && sink.spans() >= exported;
    }
  }

  private List<String> processingSets(String topic, OtlpSink sink, Path yaml) throws IOException {
    List<String> sets =
        new ArrayList<>(
            List.of(
                "receivers.kafka.brokers=[" + kafka.bootstrap + "]",
                "receivers.kafka.traces.topics=[" + topic + "]",
                "receivers.kafka.group_id=tiercel-load-" + topic,
                "exporters.otlp_grpc.endpoint=" + sink.endpoint()));
    sets.addAll(healthCheck(yaml));
    return sets;
  }

  private TierProcess startProcessing(int pass, String name, Path yaml, String topic, OtlpSink sink)
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
   * every 100 ms; the window starts at the last sample before it polled a record and ends at the
   * first sample where it had finished every span. Latency is not measured (the records' age is the
   * backlog's: only printed).
   */
  private Result drain(int pass, String name, Path yaml, String topic, long spans, long bytes)
      throws Exception {
    try (OtlpSink sink = new OtlpSink(Pacer::nowMicros)) {
      LatencyHistogram age = sink.measureFrom(0);
      long spawned = System.nanoTime();
      try (TierProcess tier = startProcessing(pass, name, yaml, topic, sink)) {
        Sample prev = new Sample(spawned, 0, 0, 0, 0);
        Sample start = null;
        long deadline = spawned + DRAIN_LIMIT.toNanos();
        while (true) {
          Sample now = Sample.of(tier);
          if (start == null && now.polled() > 0) {
            start = prev;
          }
          if (start != null && now.finished(spans, sink)) {
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
                    age.quantile(0.99) / 1000.0));
          }
          if (now.nanos() > deadline) {
            return timedOut(
                pass, name, tier, sink, start != null ? start : prev, now, spans, bytes);
          }
          prev = now;
          Thread.sleep(SAMPLE_MILLIS);
        }
      }
    }
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
        KafkaProducer<byte[], byte[]> producer = producer()) {
      producer.partitionsFor(topic);
      tier.awaitMetrics(TIER_START);
      Pacer.Unit unit = recordsUnit(producer, topic);
      Pacer.Sent warm =
          Pacer.run(s.warmup(), Long.MAX_VALUE, s.rate(), 64, 0, s.spansPerRequest(), unit);
      awaitFinished(tier, sink, warm.ackedSpans());
      LatencyHistogram latency = sink.measureFrom(Pacer.nowMicros());
      Sample start = Sample.of(tier);
      Pacer.Sent m =
          Pacer.run(
              s.duration(), Long.MAX_VALUE, s.rate(), 64, warm.units(), s.spansPerRequest(), unit);
      total = warm.ackedSpans() + m.ackedSpans();
      if (m.failedUnits() + warm.failedUnits() > 0) {
        throw new IllegalStateException(
            "producing failed", m.firstFailure() != null ? m.firstFailure() : warm.firstFailure());
      }
      Sample end = awaitFinished(tier, sink, total);
      if (end == null) {
        return withBaseline(
            timedOut(pass, name, tier, sink, start, Sample.of(tier), total, m.ackedBytes()),
            rawConsumer(topic, total));
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
    return withBaseline(r, rawConsumer(topic, total));
  }

  /** Samples until the tier finished {@code spans}; null after {@link #DRAIN_LIMIT}. */
  private static Sample awaitFinished(TierProcess tier, OtlpSink sink, long spans)
      throws InterruptedException {
    long deadline = System.nanoTime() + DRAIN_LIMIT.toNanos();
    while (System.nanoTime() < deadline) {
      Sample now = Sample.of(tier);
      if (now.finished(spans, sink)) {
        return now;
      }
      Thread.sleep(SAMPLE_MILLIS);
    }
    return null;
  }

  private Result result(
      int pass,
      String name,
      String load,
      TierProcess tier,
      OtlpSink sink,
      Sample start,
      Sample end,
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
        null);
  }

  private Result timedOut(
      int pass,
      String name,
      TierProcess tier,
      OtlpSink sink,
      Sample start,
      Sample now,
      long spans,
      long bytes) {
    out.printf(
        Locale.ROOT,
        "  the tier did not finish in %s: accepted %,.0f of %,d spans, exported %,.0f, sink "
            + "%,d%n%s%n",
        DRAIN_LIMIT,
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
        null);
  }

  /**
   * A raw consumer (assign + seek, no group) reading the same records, counting spans on the wire.
   */
  private Result.Baseline rawConsumer(String topic, long spans) throws Exception {
    try (TopicReader reader = new TopicReader(kafka.bootstrap, topic)) {
      double cpu0 = ProcStat.cpuSeconds(ProcStat.self());
      long t0 = System.nanoTime();
      if (!reader.drain(spans, DRAIN_LIMIT)) {
        throw new IllegalStateException(
            "the raw consumer read only " + reader.spans() + " of " + spans + " spans");
      }
      double secs = (System.nanoTime() - t0) / 1e9;
      double cpu = ProcStat.cpuSeconds(ProcStat.self()) - cpu0;
      out.printf(
          Locale.ROOT,
          "  raw KafkaConsumer: %,d spans in %.1f s = %,.0f spans/s, %.2f CPU-s/M spans (tool "
              + "process)%n",
          reader.spans(),
          secs,
          reader.spans() / secs,
          cpu / (reader.spans() / 1e6));
      return new Result.Baseline("raw KafkaConsumer", reader.spans(), secs, cpu, reader.bytes());
    }
  }

  private static Result withBaseline(Result r, Result.Baseline b) {
    return new Result(
        r.pass(),
        r.tier(),
        r.config(),
        r.load(),
        r.spans(),
        r.seconds(),
        r.cpuSeconds(),
        r.peakRssBytes(),
        r.bytes(),
        r.p50Micros(),
        r.p99Micros(),
        r.in(),
        r.out(),
        r.exported(),
        r.atSink(),
        r.failedUnits(),
        b);
  }

  // ---- configs
  // ---------------------------------------------------------------------------------------------

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

  /**
   * The ingestion tier as {@code distributions/config/ingestion.yaml} has it, traces only: otlp ->
   * memory_limiter -> batch (200ms, 8192) -> kafka (otlp_proto, keyed by trace id, acks all, lz4,
   * acknowledged only once Kafka has the data). Endpoints, brokers and topic are set by the tool.
   */
  static Path builtInIngestion(Path dir) throws IOException {
    return write(
        dir.resolve("ingestion.yaml"),
        """
        # Written by the load tool: distributions/config/ingestion.yaml for traces. The tool sets the endpoints,
        # the brokers and the topic with --set.
        receivers:
          otlp:
            protocols:
              grpc: {endpoint: 127.0.0.1:4317, max_recv_msg_size_mib: 16}
              http: {endpoint: 127.0.0.1:4318}
        processors:
          memory_limiter: {check_interval: 1s, limit_percentage: 80, spike_limit_percentage: 25}
          batch: {timeout: 200ms, send_batch_size: 8192}
        exporters:
          kafka:
            brokers: ["${env:KAFKA_BROKERS}"]
            traces: {topic: otlp_spans, encoding: otlp_proto}
            partition_traces_by_id: true
            producer: {required_acks: all, compression: lz4}
            sending_queue: {wait_for_result: true}
        service:
          pipelines:
            traces:
              receivers: [otlp]
              processors: [memory_limiter, batch]
              exporters: [kafka]
        """);
  }

  /**
   * The processing tier as {@code distributions/config/processing.yaml} has it, traces only: kafka
   * -> memory_limiter -> filter -> transform -> [tail_sampling] -> batch -> otlp_grpc (gzip,
   * acknowledged only once the backend has the data). tail_sampling: 5 policies with a short
   * decision_wait (2 s), and a receiver window large enough for 2 s of data (issue 7: throughput
   * caps at window / decision_wait).
   */
  static Path builtInProcessing(Path dir, boolean tailSampling) throws IOException {
    String ts =
        """
          tail_sampling:
            decision_wait: 2s
            num_traces: 200000
            decision_cache: {sampled_cache_size: 100000, non_sampled_cache_size: 100000}
            policies:
              - {name: errors, type: status_code, status_code: {status_codes: [ERROR]}}
              - {name: slow, type: latency, latency: {threshold_ms: 250}}
              - name: server-errors
                type: numeric_attribute
                numeric_attribute: {key: http.response.status_code, min_value: 500, max_value: 599}
              - {name: checkout, type: string_attribute, string_attribute: {key: http.route, values: [/api/checkout]}}
              - {name: ten-percent, type: probabilistic, probabilistic: {sampling_percentage: 10}}
        """;
    return write(
        dir.resolve(tailSampling ? "processing-tail-sampling.yaml" : "processing.yaml"),
        """
        # Written by the load tool: distributions/config/processing.yaml for traces%s. The tool sets the brokers,
        # the topic, the group and the exporter's endpoint with --set.
        receivers:
          kafka:
            brokers: ["${env:KAFKA_BROKERS}"]
            group_id: tiercel-processing
            initial_offset: earliest
            traces: {topics: [otlp_spans], encoding: otlp_proto}
        %s
        processors:
          memory_limiter: {check_interval: 1s, limit_percentage: 80, spike_limit_percentage: 25}
          filter:
            error_mode: ignore
            traces:
              span:
                - IsMatch(span.attributes["url.path"], "^/(health|healthz|metrics)(/|$)")
          transform:
            error_mode: ignore
            trace_statements:
              - set(resource.attributes["tiercel.tier"], "processing")
        %s
          batch: {timeout: 200ms, send_batch_size: 8192}
        exporters:
          otlp_grpc:
            endpoint: ${env:OTLP_ENDPOINT}
            compression: gzip
            # processing.yaml keeps the default 5s; on a loaded 2-core machine exports then time out and are sent
            # again (duplicates at the sink), which measures the machine rather than the tier
            timeout: 30s
            sending_queue: {wait_for_result: true}
        service:
          pipelines:
            traces:
              receivers: [kafka]
              processors: [memory_limiter, filter, transform, %sbatch]
              exporters: [otlp_grpc]
        """
            .formatted(
                tailSampling ? ", with tail_sampling" : "",
                tailSampling ? "    max_in_flight: {records: 100000, bytes: 268435456}" : "",
                tailSampling ? ts : "",
                tailSampling ? "tail_sampling, " : ""));
  }

  private static Path write(Path p, String yaml) throws IOException {
    Files.writeString(p, yaml);
    return p;
  }
}
