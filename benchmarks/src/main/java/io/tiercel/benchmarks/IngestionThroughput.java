package io.tiercel.benchmarks;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.TracesData;
import io.tiercel.core.component.BuildInfo;
import io.tiercel.core.component.ComponentId;
import io.tiercel.core.component.ComponentRegistry;
import io.tiercel.core.component.Deadline;
import io.tiercel.core.component.Exporter;
import io.tiercel.core.component.Kind;
import io.tiercel.core.component.Settings;
import io.tiercel.core.config.ConfigBinder;
import io.tiercel.core.config.ConfigLoader;
import io.tiercel.core.consumer.Context;
import io.tiercel.core.pdata.Signal;
import io.tiercel.core.pdata.Traces;
import io.tiercel.core.service.Service;
import io.tiercel.core.telemetry.MetricsRegistry;
import io.tiercel.otlp.exporter.OtlpExporterFactory;
import io.tiercel.otlp.exporter.OtlpGrpcExporterConfig;
import io.tiercel.testing.kafka.KafkaBroker;
import java.lang.management.ManagementFactory;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * The ingestion tier end to end against a raw {@code KafkaProducer}, in one run on one broker (a
 * child JVM, so the broker's CPU is not counted): the same spans, as the same per-trace records
 * (key = hex trace id), with the same producer settings (acks=all, lz4, linger 10 ms, 1 MiB
 * batches).
 *
 * <ul>
 *   <li>raw: pre-built per-trace records sent by a {@code KafkaProducer} (the floor: producer cost
 *       only);
 *   <li>tiercel: pre-serialized 500-span OTLP requests sent over OTLP gRPC (our otlp_grpc exporter,
 *       16 in flight, bytes passed through) to an ingestion service (otlp receiver -> batch ->
 *       kafka exporter keyed by trace id), each request acknowledged only when Kafka acknowledged
 *       its records.
 * </ul>
 *
 * CPU is this process's ({@code getProcessCpuTime}): for tiercel it includes the OTLP client's
 * sending side. Each pass also prints where the CPU went (per thread group, and the JIT compiler's
 * and GC's threads), the CPU without the JIT compiler (what a warm process pays) and the producer's
 * average batch size: at a few thousand requests per pass, the per-request code of gRPC is still
 * being compiled in the third pass, and the compiler's threads were up to half of the tiercel
 * figure. Warm-up passes run first and are printed but left out of the medians. Usage: {@code
 * IngestionThroughput [spans per pass, default 1000000] [passes, default 3] [warm-up passes,
 * default 1]}.
 */
public final class IngestionThroughput {
  private static final int SPANS_PER_REQUEST = 500;
  private static final int DISTINCT_REQUESTS = 64;

  private IngestionThroughput() {}

  record Result(
      String name,
      long spans,
      double seconds,
      double cpuSeconds,
      Map<String, Double> threads,
      String producer) {
    double spansPerSecond() {
      return spans / seconds;
    }

    double cpuPerMillion() {
      return cpuSeconds / (spans / 1e6);
    }

    /**
     * CPU per million spans without the JIT compiler's threads (what the work costs once compiled).
     */
    double warmCpuPerMillion() {
      return (cpuSeconds - threads.getOrDefault("jit", 0.0)) / (spans / 1e6);
    }

    String details() {
      return String.format(
          Locale.ROOT,
          "  %-8s %.2f CPU-s/M without JIT; producer %s; CPU-s/M by thread: %s",
          name,
          warmCpuPerMillion(),
          producer,
          CpuBreakdown.format(threads, cpuSeconds, spans));
    }
  }

  public static void main(String[] args) throws Exception {
    long spans = args.length > 0 ? Long.parseLong(args[0]) : 1_000_000;
    int passes = args.length > 1 ? Integer.parseInt(args[1]) : 3;
    int warmups = args.length > 2 ? Integer.parseInt(args[2]) : 1;
    int requests = (int) Math.max(1, spans / SPANS_PER_REQUEST);

    List<byte[]> pool = new ArrayList<>();
    List<List<ProducerRecord<byte[], byte[]>>> recordsPerRequest = new ArrayList<>();
    long recordBytes = 0;
    long recordCount = 0;
    for (int i = 0; i < DISTINCT_REQUESTS; i++) {
      TracesData req =
          new io.tiercel.core.builtin.generator.TelemetryGenerator(
                  new io.tiercel.core.builtin.generator.GeneratorReceiverFactory()
                      .createDefaultConfig(),
                  100 + i)
              .traces(SPANS_PER_REQUEST, 1_700_000_000_000_000_000L);
      pool.add(req.toByteArray());
      List<ProducerRecord<byte[], byte[]>> recs = perTrace(req);
      recordsPerRequest.add(recs);
      for (var r : recs) {
        recordBytes += r.value().length;
        recordCount++;
      }
    }
    System.out.printf(
        Locale.ROOT,
        "%d spans per pass in %d requests of %d spans; per-trace records average %d "
            + "bytes (%d records per request)%n",
        (long) requests * SPANS_PER_REQUEST,
        requests,
        SPANS_PER_REQUEST,
        recordBytes / recordCount,
        recordCount / DISTINCT_REQUESTS);

    List<Result> results = new ArrayList<>();
    try (KafkaBroker broker =
        KafkaBroker.builder().childJvm(true).jvmArgs(List.of("-Xmx1g")).build().start()) {
      for (int pass = 1 - warmups; pass <= passes; pass++) {
        String rawTopic = "raw_" + (pass + warmups);
        String tierTopic = "tiercel_" + (pass + warmups);
        broker.createTopic(rawTopic, 12);
        broker.createTopic(tierTopic, 12);
        Result raw = raw(broker, rawTopic, recordsPerRequest, requests);
        Result tier = tiercel(broker, tierTopic, pool, requests);
        if (pass >= 1) {
          results.add(raw);
          results.add(tier);
        }
        System.out.printf(
            Locale.ROOT,
            "%s: raw %,.0f spans/s %.2f CPU-s/M | tiercel %,.0f spans/s %.2f CPU-s/M"
                + " | throughput ratio %.2f, CPU ratio %.2f (without JIT %.2f)%n",
            pass >= 1 ? "pass " + pass : "warm-up " + (pass + warmups),
            raw.spansPerSecond(),
            raw.cpuPerMillion(),
            tier.spansPerSecond(),
            tier.cpuPerMillion(),
            tier.spansPerSecond() / raw.spansPerSecond(),
            tier.cpuPerMillion() / raw.cpuPerMillion(),
            tier.warmCpuPerMillion() / raw.warmCpuPerMillion());
        System.out.println(raw.details());
        System.out.println(tier.details());
        broker.deleteTopic(rawTopic);
        broker.deleteTopic(tierTopic);
      }
    }
    System.out.println("median of " + passes + " passes:");
    for (String name : List.of("raw", "tiercel")) {
      List<Result> r = results.stream().filter(x -> x.name.equals(name)).toList();
      System.out.printf(
          Locale.ROOT,
          "  %-8s %,10.0f spans/s  %6.2f CPU-s per million spans  (%.2f without JIT)%n",
          name,
          median(r.stream().mapToDouble(Result::spansPerSecond).toArray()),
          median(r.stream().mapToDouble(Result::cpuPerMillion).toArray()),
          median(r.stream().mapToDouble(Result::warmCpuPerMillion).toArray()));
    }
  }

  static double median(double[] v) {
    double[] s = v.clone();
    java.util.Arrays.sort(s);
    return s[s.length / 2];
  }

  /**
   * The records the exporter writes for one request with partition_traces_by_id (parse-based, not
   * timed).
   */
  static List<ProducerRecord<byte[], byte[]>> perTrace(TracesData req) {
    Map<ByteString, TracesData.Builder> byTrace = new LinkedHashMap<>();
    for (ResourceSpans rs : req.getResourceSpansList()) {
      for (ScopeSpans ss : rs.getScopeSpansList()) {
        for (Span s : ss.getSpansList()) {
          TracesData.Builder b =
              byTrace.computeIfAbsent(s.getTraceId(), k -> TracesData.newBuilder());
          b.addResourceSpansBuilder()
              .setResource(rs.getResource())
              .setSchemaUrl(rs.getSchemaUrl())
              .addScopeSpansBuilder()
              .setScope(ss.getScope())
              .addSpans(s);
        }
      }
    }
    List<ProducerRecord<byte[], byte[]>> out = new ArrayList<>();
    byTrace.forEach(
        (id, b) ->
            out.add(
                new ProducerRecord<>(
                    "",
                    HexFormat.of()
                        .formatHex(id.toByteArray())
                        .getBytes(java.nio.charset.StandardCharsets.US_ASCII),
                    b.build().toByteArray())));
    return out;
  }

  private static Map<String, Object> producerSettings(KafkaBroker broker) {
    Map<String, Object> p = new java.util.HashMap<>(broker.clientConfig());
    p.put("acks", "all");
    p.put("compression.type", "lz4");
    p.put("linger.ms", 10);
    p.put("batch.size", 1 << 20);
    return p;
  }

  private static double cpu() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
            .getProcessCpuTime()
        / 1e9;
  }

  /**
   * The open producer's average batch size and records per produce request, from its JMX metrics
   * (one producer is open at a time here: the raw one, or the exporter's). Averages over the last
   * 30 s (Kafka's sample window).
   */
  private static String producerStats() {
    try {
      var server = ManagementFactory.getPlatformMBeanServer();
      for (var name :
          server.queryNames(
              new javax.management.ObjectName("kafka.producer:type=producer-metrics,client-id=*"),
              null)) {
        return String.format(
            Locale.ROOT,
            "batches %.0f B avg, %.1f records/request, compression %.2f, %.0f ms"
                + " waiting for buffer memory",
            (Double) server.getAttribute(name, "batch-size-avg"),
            (Double) server.getAttribute(name, "records-per-request-avg"),
            (Double) server.getAttribute(name, "compression-rate-avg"),
            (Double) server.getAttribute(name, "bufferpool-wait-time-ns-total") / 1e6);
      }
      return "?";
    } catch (javax.management.JMException | ClassCastException e) {
      return "? (" + e + ")";
    }
  }

  private static Result raw(
      KafkaBroker broker,
      String topic,
      List<List<ProducerRecord<byte[], byte[]>>> records,
      int requests)
      throws Exception {
    try (KafkaProducer<byte[], byte[]> producer = broker.producer(producerSettings(broker))) {
      producer.partitionsFor(topic);
      AtomicReference<Exception> failure = new AtomicReference<>();
      CpuBreakdown threads0 = CpuBreakdown.snapshot();
      double cpu0 = cpu();
      long t0 = System.nanoTime();
      for (int i = 0; i < requests; i++) {
        for (ProducerRecord<byte[], byte[]> r : records.get(i % records.size())) {
          producer.send(
              new ProducerRecord<>(topic, r.key(), r.value()),
              (md, e) -> {
                if (e != null) {
                  failure.compareAndSet(null, e);
                }
              });
        }
      }
      producer.flush();
      double secs = (System.nanoTime() - t0) / 1e9;
      double cpus = cpu() - cpu0;
      Map<String, Double> threads = CpuBreakdown.snapshot().since(threads0);
      if (failure.get() != null) {
        throw failure.get();
      }
      return new Result(
          "raw", (long) requests * SPANS_PER_REQUEST, secs, cpus, threads, producerStats());
    }
  }

  private static Result tiercel(KafkaBroker broker, String topic, List<byte[]> pool, int requests)
      throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    Path yaml = Files.createTempFile("tiercel-ingestion-", ".yaml");
    Files.writeString(
        yaml,
        """
        receivers:
          otlp:
            protocols:
              grpc: {endpoint: 127.0.0.1:%d, max_recv_msg_size_mib: 16}
        processors:
          batch: {timeout: 20ms, send_batch_size: 4096}
        exporters:
          kafka:
            brokers: [%s]
            traces: {topic: %s}
            partition_traces_by_id: true
            producer: {required_acks: all, compression: lz4, linger: 10ms, batch_size: 1048576}
            sending_queue: {wait_for_result: true, num_consumers: 16}
        service:
          telemetry: {metrics: {level: none}}
          pipelines:
            traces: {receivers: [otlp], processors: [batch], exporters: [kafka]}
        """
            .formatted(port, broker.bootstrapServers(), topic));
    var cfg =
        new ConfigLoader(ComponentRegistry.load(), System::getenv)
            .load(List.of(yaml.toString()), List.of());
    Service service = new Service(cfg, BuildInfo.DEFAULT, new MetricsRegistry(), Clock.systemUTC());
    service.start();
    OtlpExporterFactory.Grpc f = new OtlpExporterFactory.Grpc();
    OtlpGrpcExporterConfig clientCfg =
        ConfigBinder.bind(
            OtlpGrpcExporterConfig.class,
            f.createDefaultConfig(),
            Map.of(
                "endpoint",
                "http://127.0.0.1:" + port,
                "compression",
                "none",
                "timeout",
                "30s",
                "sending_queue",
                Map.of("wait_for_result", true, "num_consumers", 16)),
            "exporters.otlp_grpc");
    Exporter<Traces> client =
        f.createTraces(
            Settings.forTest(Kind.EXPORTER, ComponentId.of("otlp_grpc"), Signal.TRACES), clientCfg);
    client.start(null);
    try {
      // warm-up: one request per distinct payload (connections, metadata, JIT)
      for (byte[] b : pool) {
        client.consume(Context.EMPTY, Traces.ofBytes(b)).get(30, TimeUnit.SECONDS);
      }
      Semaphore inFlight = new Semaphore(16);
      AtomicReference<Throwable> failure = new AtomicReference<>();
      List<CompletableFuture<Void>> all = new ArrayList<>();
      CpuBreakdown threads0 = CpuBreakdown.snapshot();
      double cpu0 = cpu();
      long t0 = System.nanoTime();
      for (int i = 0; i < requests; i++) {
        inFlight.acquire();
        CompletableFuture<Void> f1 =
            client.consume(Context.EMPTY, Traces.ofBytes(pool.get(i % pool.size())));
        f1.whenComplete(
            (v, e) -> {
              if (e != null) {
                failure.compareAndSet(null, e);
              }
              inFlight.release();
            });
        all.add(f1);
      }
      CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get(10, TimeUnit.MINUTES);
      double secs = (System.nanoTime() - t0) / 1e9;
      double cpus = cpu() - cpu0;
      Map<String, Double> threads = CpuBreakdown.snapshot().since(threads0);
      if (failure.get() != null) {
        throw new IllegalStateException("a request failed", failure.get());
      }
      return new Result(
          "tiercel", (long) requests * SPANS_PER_REQUEST, secs, cpus, threads, producerStats());
    } finally {
      client.shutdown(Deadline.in(Duration.ofSeconds(10)));
      service.shutdown(Duration.ofSeconds(30));
      Files.deleteIfExists(yaml);
    }
  }
}
