package io.tiercel.distributions.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.exporter.otlp.trace.OtlpGrpcSpanExporter;
import io.opentelemetry.proto.trace.v1.TracesData;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.tiercel.core.component.BuildInfo;
import io.tiercel.core.component.ComponentRegistry;
import io.tiercel.core.config.ConfigLoader;
import io.tiercel.core.service.Service;
import io.tiercel.core.telemetry.MetricsRegistry;
import io.tiercel.testing.kafka.KafkaClients;
import io.tiercel.testing.process.ChildJvm;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;

/**
 * The two tiers of the end-to-end tests: the ingestion tier in this JVM (otlp -> batch -> kafka
 * keyed by trace id, acknowledged once Kafka has the data), processing-tier configs for child JVMs
 * (kafka receiver -> tail_sampling -> file, length-prefixed OTLP protobuf), an OTLP gRPC client
 * (the OpenTelemetry Java SDK's exporter) pacing a {@link TraceWorkload}, and readers for the
 * output files and a child's metrics endpoint.
 */
final class TwoTiers {
  static final Duration DECISION_WAIT = Duration.ofSeconds(5);

  private TwoTiers() {}

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  /**
   * Starts the ingestion tier in this JVM ({@code ingestion.yaml}); its OTLP gRPC receiver listens
   * on {@code port}.
   */
  static Service ingestion(Path dir, KafkaClients broker, String topic, int port) throws Exception {
    return ingestion(dir, "ingestion", broker, topic, port);
  }

  /** {@link #ingestion(Path, KafkaClients, String, int)} with its config in {@code <name>.yaml}. */
  static Service ingestion(Path dir, String name, KafkaClients broker, String topic, int port)
      throws Exception {
    Path yaml =
        Files.writeString(
            dir.resolve(name + ".yaml"),
            """
            receivers:
              otlp: {protocols: {grpc: {endpoint: 127.0.0.1:%d}}}
            processors:
              batch: {timeout: 100ms, send_batch_size: 512}
            exporters:
              kafka:
                brokers: [%s]
                traces: {topic: %s}
                partition_traces_by_id: true
                producer: {required_acks: all}
                sending_queue: {wait_for_result: true}
            service:
              telemetry: {metrics: {level: none}}
              pipelines:
                traces: {receivers: [otlp], processors: [batch], exporters: [kafka]}
            """
                .formatted(port, broker.bootstrapServers(), topic));
    Service s =
        new Service(
            new ConfigLoader(ComponentRegistry.load(), System::getenv)
                .load(List.of(yaml.toString()), List.of()),
            BuildInfo.DEFAULT,
            new MetricsRegistry(),
            Clock.systemUTC());
    s.start();
    return s;
  }

  /**
   * One processing-tier instance of a test, in a child JVM: kafka (group {@code group}, earliest,
   * at most {@code maxInFlightRecords} unfinished records per partition, {@code revokeTimeout}) ->
   * tail_sampling (decision_wait 5 s, decision caches, the workload's policies) -> file ({@code
   * out}, proto); internal metrics on {@code metricsPort}. Its config and log are {@code
   * <name>.yaml} and {@code <name>.log} in the work dir.
   */
  record Processing(String name, Path config, Path out, Path log, int metricsPort) {
    ChildJvm start() {
      return ChildJvm.collector(config, log);
    }

    /** Sum of a metric on this instance's endpoint (-1 when it does not answer). */
    double metric(String metric) {
      return TwoTiers.metric(metricsPort, metric);
    }

    Output output() throws IOException {
      return read(out);
    }
  }

  static Processing processing(
      Path dir,
      String name,
      KafkaClients broker,
      String topic,
      String group,
      int maxInFlightRecords,
      Duration revokeTimeout)
      throws IOException {
    return processing(
        dir, name, broker, topic, group, maxInFlightRecords, revokeTimeout, DECISION_WAIT);
  }

  /** {@link #processing} with tail_sampling's {@code decision_wait}. */
  static Processing processing(
      Path dir,
      String name,
      KafkaClients broker,
      String topic,
      String group,
      int maxInFlightRecords,
      Duration revokeTimeout,
      Duration decisionWait)
      throws IOException {
    Path out = dir.resolve(name + ".otlp");
    int metricsPort = freePort();
    Path config =
        Files.writeString(
            dir.resolve(name + ".yaml"),
            """
            receivers:
              kafka:
                brokers: [%s]
                group_id: %s
                initial_offset: earliest
                session_timeout: 6s
                heartbeat_interval: 2s
                revoke_timeout: %dms
                autocommit: {enable: true, interval: 500ms}
                traces: {topics: [%s]}
                max_in_flight: {records: %d, bytes: 67108864}
            processors:
              tail_sampling:
                decision_wait: %dms
                num_traces: 20000
                decision_cache: {sampled_cache_size: 20000, non_sampled_cache_size: 20000}
                drop_pending_traces_on_shutdown: true   # as processing.yaml: the next owner decides them whole
            %s
            exporters:
              file: {path: %s, format: proto}
            service:
              telemetry: {metrics: {address: 127.0.0.1:%d}}
              pipelines:
                traces: {receivers: [kafka], processors: [tail_sampling], exporters: [file]}
            """
                .formatted(
                    broker.bootstrapServers(),
                    group,
                    revokeTimeout.toMillis(),
                    topic,
                    maxInFlightRecords,
                    decisionWait.toMillis(),
                    TraceWorkload.POLICIES,
                    out,
                    metricsPort));
    return new Processing(name, config, out, dir.resolve(name + ".log"), metricsPort);
  }

  /**
   * Sends the workload's requests over OTLP gRPC at about {@code requestsPerSecond} (at most 4 in
   * flight per ingestion instance: the SDK exporter's HTTP client runs 5 calls at once and rejects
   * more) on a thread of its own, and counts the acknowledged spans (the ingestion tier
   * acknowledges once Kafka has them). A failed request is sent again (as an SDK with retries
   * would), so every span is acknowledged in the end.
   */
  static final class Sender implements AutoCloseable {
    final AtomicInteger requestsAcked = new AtomicInteger();
    final AtomicInteger requestsSent = new AtomicInteger();
    final AtomicInteger spansAcked = new AtomicInteger();
    final AtomicInteger resends = new AtomicInteger();
    final AtomicReference<Throwable> failure = new AtomicReference<>();
    private final Thread thread;
    private final List<OtlpGrpcSpanExporter> exporters;
    private final List<Semaphore> windows;
    private final BlockingQueue<Integer> retries = new LinkedBlockingQueue<>();
    private volatile int pauseBefore = Integer.MAX_VALUE;

    Sender(int port, List<List<SpanData>> requests, int requestsPerSecond) {
      this(List.of(port), requests, requestsPerSecond);
    }

    /**
     * A sender that spreads the requests over several ingestion instances, as a load balancer
     * would: request {@code i} goes to {@code ports[i % n]}, so the spans of one trace (two
     * consecutive requests) reach Kafka through two instances.
     */
    Sender(List<Integer> ports, List<List<SpanData>> requests, int requestsPerSecond) {
      exporters =
          ports.stream()
              .map(
                  port ->
                      OtlpGrpcSpanExporter.builder()
                          .setEndpoint("http://127.0.0.1:" + port)
                          .setTimeout(Duration.ofSeconds(30))
                          .build())
              .toList();
      windows = exporters.stream().map(e -> new Semaphore(4)).toList();
      long periodNanos = TimeUnit.SECONDS.toNanos(1) / requestsPerSecond;
      thread =
          new Thread(
              () -> {
                try {
                  long next = System.nanoTime();
                  int i = 0;
                  while (requestsAcked.get() < requests.size()) {
                    Integer again = retries.poll();
                    if (again != null) {
                      resends.incrementAndGet();
                      Thread.sleep(100);
                      send(requests, again);
                      continue;
                    }
                    if (i >= requests.size() || i >= pauseBefore) {
                      Thread.sleep(20);
                      next = System.nanoTime();
                      continue;
                    }
                    long wait = next - System.nanoTime();
                    if (wait > 0) {
                      TimeUnit.NANOSECONDS.sleep(wait); // pacing only, not correctness
                    }
                    next += periodNanos;
                    send(requests, i++);
                    requestsSent.incrementAndGet();
                  }
                } catch (Throwable t) {
                  failure.set(t);
                }
              },
              "e2e-otlp-sender");
      thread.setDaemon(true);
    }

    private void send(List<List<SpanData>> requests, int i) throws InterruptedException {
      Semaphore window = windows.get(i % exporters.size());
      window.acquire();
      List<SpanData> r = requests.get(i);
      CompletableResultCode rc = exporters.get(i % exporters.size()).export(r);
      rc.whenComplete(
          () -> {
            window.release();
            if (rc.isSuccess()) {
              requestsAcked.incrementAndGet();
              spansAcked.addAndGet(r.size());
            } else {
              retries.add(i);
            }
          });
    }

    Sender start() {
      thread.start();
      return this;
    }

    /** Sends no request with index {@code index} or higher until {@link #resume()}. */
    void pauseBefore(int index) {
      pauseBefore = index;
    }

    void resume() {
      pauseBefore = Integer.MAX_VALUE;
    }

    boolean done() {
      return !thread.isAlive();
    }

    void join(Duration timeout) throws InterruptedException {
      thread.join(timeout.toMillis());
      assertThat(thread.isAlive())
          .as(
              "the sender finished within %s (%d requests sent, %d acknowledged)",
              timeout, requestsSent.get(), requestsAcked.get())
          .isFalse();
      assertThat(failure.get()).as("the sender failed").isNull();
    }

    @Override
    public void close() {
      thread.interrupt();
      exporters.forEach(OtlpGrpcSpanExporter::close);
    }
  }

  /** One exported request of an output file: the spans per trace id (hex) it holds. */
  record Export(Map<String, List<String>> spansByTrace) {}

  /**
   * An output file's exports, in order; a message cut short by a kill -9 at the end is counted, not
   * returned.
   */
  record Output(List<Export> exports, int truncatedBytes) {
    int spans() {
      return exports.stream()
          .mapToInt(e -> e.spansByTrace.values().stream().mapToInt(List::size).sum())
          .sum();
    }
  }

  /**
   * Reads a {@code file} exporter output in {@code proto} format (4-byte big-endian length, then
   * the bytes).
   */
  static Output read(Path file) throws IOException {
    List<Export> exports = new ArrayList<>();
    if (!Files.exists(file)) {
      return new Output(exports, 0);
    }
    byte[] all = Files.readAllBytes(file);
    int pos = 0;
    try (InputStream in = new java.io.ByteArrayInputStream(all);
        DataInputStream d = new DataInputStream(in)) {
      while (pos < all.length) {
        int len;
        try {
          len = d.readInt();
        } catch (EOFException cut) {
          break;
        }
        if (pos + 4 + len > all.length) {
          break;
        }
        byte[] msg = d.readNBytes(len);
        pos += 4 + len;
        Map<String, List<String>> m = new HashMap<>();
        TracesData.parseFrom(msg)
            .getResourceSpansList()
            .forEach(
                rs ->
                    rs.getScopeSpansList()
                        .forEach(
                            ss ->
                                ss.getSpansList()
                                    .forEach(
                                        s ->
                                            m.computeIfAbsent(
                                                    hex(s.getTraceId().toByteArray()),
                                                    k -> new ArrayList<>())
                                                .add(hex(s.getSpanId().toByteArray())))));
        exports.add(new Export(m));
      }
    }
    return new Output(exports, all.length - pos);
  }

  static String hex(byte[] b) {
    return HexFormat.of().formatHex(b);
  }

  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  /**
   * Sum of every sample of {@code metric} on a child's Prometheus endpoint; -1 when it does not
   * answer.
   */
  static double metric(int port, String metric) {
    try {
      HttpResponse<String> r =
          HTTP.send(
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics"))
                  .timeout(Duration.ofSeconds(5))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() != 200) {
        return -1;
      }
      double sum = 0;
      for (String line : r.body().lines().toList()) {
        if (line.startsWith(metric + "{")
            || line.startsWith(metric + " ")
            || line.startsWith(metric + "_total{")
            || line.startsWith(metric + "_total ")) {
          sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
        }
      }
      return sum;
    } catch (IOException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  /** What the outputs hold against what the policies keep. */
  record Reconciliation(
      int exportedSpans,
      int uniqueSpans,
      int exportedTraces,
      Set<String> missingKeptSpans,
      Set<String> unexpectedTraces,
      Set<String> unknownSpans,
      int partialExports,
      Set<String> partialOnly,
      int tracesExportedMoreThanOnce) {
    int duplicateSpans() {
      return exportedSpans - uniqueSpans;
    }

    @Override
    public String toString() {
      return "%,d spans exported (%,d unique, %,d duplicates) in %,d traces; %d kept spans missing; %d traces the"
              .formatted(
                  exportedSpans,
                  uniqueSpans,
                  duplicateSpans(),
                  exportedTraces,
                  missingKeptSpans.size(),
                  unexpectedTraces.size())
          + " policies drop; %d unknown spans; %d partial exports (%d traces only partially); %d traces exported more"
              .formatted(
                  unknownSpans.size(),
                  partialExports,
                  partialOnly.size(),
                  tracesExportedMoreThanOnce)
          + " than once";
    }
  }

  /**
   * Compares the exports of every output with the workload: a partial export is one export holding
   * some but not all spans of a trace (tail_sampling exports each decided trace in one request, so
   * an export is a decision). {@code late} traces (see {@link Topic#late}) are not held to "kept
   * whole".
   */
  static Reconciliation reconcile(TraceWorkload w, List<Output> outputs, Set<String> late) {
    Map<String, Set<String>> union = new HashMap<>();
    Map<String, Integer> exportsPerTrace = new HashMap<>();
    Set<String> complete = new HashSet<>();
    Set<String> partial = new HashSet<>();
    Set<String> unknown = new TreeSet<>();
    int exported = 0;
    int partialExports = 0;
    for (Output o : outputs) {
      for (Export e : o.exports()) {
        for (Map.Entry<String, List<String>> t : e.spansByTrace().entrySet()) {
          String trace = t.getKey();
          exported += t.getValue().size();
          exportsPerTrace.merge(trace, 1, Integer::sum);
          Set<String> all = w.spansByTrace.getOrDefault(trace, Set.of());
          for (String span : t.getValue()) {
            if (!all.contains(span)) {
              unknown.add(trace + ":" + span);
            }
            union.computeIfAbsent(trace, k -> new HashSet<>()).add(span);
          }
          if (new HashSet<>(t.getValue()).containsAll(all)) {
            complete.add(trace);
          } else {
            partialExports++;
            partial.add(trace);
          }
        }
      }
    }
    Set<String> missing = new TreeSet<>();
    for (String trace : w.kept) {
      if (late.contains(trace)) {
        continue;
      }
      Set<String> got = union.getOrDefault(trace, Set.of());
      for (String span : w.spansByTrace.get(trace)) {
        if (!got.contains(span)) {
          missing.add(trace + ":" + span);
        }
      }
    }
    Set<String> unexpected = new TreeSet<>(union.keySet());
    unexpected.removeAll(w.kept);
    Set<String> partialOnly = new TreeSet<>(partial);
    partialOnly.removeAll(complete);
    partialOnly.removeAll(late);
    int unique = union.values().stream().mapToInt(Set::size).sum();
    int twice = (int) exportsPerTrace.values().stream().filter(n -> n > 1).count();
    return new Reconciliation(
        exported,
        unique,
        union.size(),
        missing,
        unexpected,
        unknown,
        partialExports,
        partialOnly,
        twice);
  }

  /**
   * A topic's content: spans per trace id (every record, duplicates included) and where each
   * trace's records are.
   */
  record Topic(
      Map<String, List<String>> spans,
      Map<String, List<String>> records,
      Map<String, Long> spreadMillis,
      long recordCount) {
    /**
     * Traces whose records reached Kafka at least {@code decisionWait - 1 s} apart: tail_sampling
     * may rightly decide them before their last spans arrive (late spans then follow the cached
     * decision), so they are not held to "kept whole". The tests report how many there were (none
     * on a quiet machine).
     */
    Set<String> late(Duration decisionWait) {
      Set<String> out = new TreeSet<>();
      spreadMillis.forEach(
          (t, ms) -> {
            if (ms >= decisionWait.toMillis() - 1000) {
              out.add(t);
            }
          });
      return out;
    }

    long maxSpreadMillis() {
      return spreadMillis.values().stream().mapToLong(Long::longValue).max().orElse(0);
    }
  }

  static Topic topic(KafkaClients broker, String topic) throws IOException {
    long count = broker.endOffsets(topic).values().stream().mapToLong(Long::longValue).sum();
    Map<String, List<String>> spans = new HashMap<>();
    Map<String, List<String>> where = new HashMap<>();
    Map<String, long[]> times = new HashMap<>();
    for (ConsumerRecord<byte[], byte[]> r :
        broker.consumeAll(topic, (int) count, Duration.ofSeconds(60))) {
      String key = new String(r.key(), StandardCharsets.US_ASCII);
      AtomicInteger n = new AtomicInteger();
      TracesData.parseFrom(r.value())
          .getResourceSpansList()
          .forEach(
              rs ->
                  rs.getScopeSpansList()
                      .forEach(
                          ss ->
                              ss.getSpansList()
                                  .forEach(
                                      s -> {
                                        assertThat(hex(s.getTraceId().toByteArray()))
                                            .as("record key = trace id")
                                            .isEqualTo(key);
                                        spans
                                            .computeIfAbsent(key, k -> new ArrayList<>())
                                            .add(hex(s.getSpanId().toByteArray()));
                                        n.incrementAndGet();
                                      })));
      where
          .computeIfAbsent(key, k -> new ArrayList<>())
          .add(r.partition() + "@" + r.offset() + " t=" + r.timestamp() + " spans=" + n);
      long[] mm = times.computeIfAbsent(key, k -> new long[] {Long.MAX_VALUE, Long.MIN_VALUE});
      mm[0] = Math.min(mm[0], r.timestamp());
      mm[1] = Math.max(mm[1], r.timestamp());
    }
    Map<String, Long> spread = new HashMap<>();
    times.forEach((t, mm) -> spread.put(t, mm[1] - mm[0]));
    return new Topic(spans, where, spread, count);
  }

  /**
   * A directory under {@code target/e2e} for one test's configs, logs and outputs, emptied first
   * (kept after).
   */
  static Path workDir(String name) throws IOException {
    Path d = Path.of("target", "e2e", name).toAbsolutePath();
    if (Files.exists(d)) {
      try (var s = Files.walk(d)) {
        for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
          Files.delete(p);
        }
      }
    }
    return Files.createDirectories(d);
  }

  /** True when {@code group} has committed every record of {@code topic}. */
  static boolean drained(KafkaClients broker, String topic, String group) {
    Map<TopicPartition, Long> end = broker.endOffsets(topic);
    Map<TopicPartition, Long> committed = broker.committedOffsets(group);
    return end.entrySet().stream()
        .allMatch(e -> e.getValue() == 0 || e.getValue().equals(committed.get(e.getKey())));
  }
}
