package io.tiercel.distributions.archive;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.exporter.otlp.trace.OtlpGrpcSpanExporter;
import io.opentelemetry.proto.trace.v1.TracesData;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.IdGenerator;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.SpanProcessor;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.tiercel.core.component.BuildInfo;
import io.tiercel.core.component.ComponentRegistry;
import io.tiercel.core.config.ConfigLoader;
import io.tiercel.core.pdata.json.OtlpJson;
import io.tiercel.core.service.Service;
import io.tiercel.core.telemetry.MetricsRegistry;
import io.tiercel.distributions.SdkSpans;
import io.tiercel.testing.kafka.KafkaBroker;
import io.tiercel.testing.kafka.KafkaBrokerTest;
import java.io.IOException;
import java.math.BigInteger;
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
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The tier archives as a user gets them: the expected entries, {@code validate} on the shipped
 * configs, and the unpacked ingestion tier run by its launcher against a real broker. The
 * OpenTelemetry Java SDK's OTLP gRPC exporter sends 25 traces (errors, slow ones and fast OK ones);
 * the topic then holds one record per trace, keyed by its trace id; then the unpacked processing
 * tier, with its default tail sampling (decision_wait 10s as shipped), exports exactly the traces
 * its policies keep, each with all of its spans, to an OTLP gRPC backend; SIGTERM stops each tier
 * cleanly.
 */
@KafkaBrokerTest
class ArchiveIT {
  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final Path TARGET = Path.of("target");

  static KafkaBroker broker;

  @TempDir Path dir;

  private static Path archive(String tier) throws IOException {
    try (Stream<Path> s = Files.list(TARGET)) {
      List<Path> found =
          s.filter(p -> p.getFileName().toString().matches("tiercel-" + tier + "-.+\\.tar\\.gz"))
              .toList();
      assertThat(found)
          .as("tiercel-%s-<version>.tar.gz in %s", tier, TARGET.toAbsolutePath())
          .hasSize(1);
      return found.get(0);
    }
  }

  /** The archive's entries without its top directory; directories end with {@code /}. */
  private static List<String> entries(Path archive) throws Exception {
    Result r = exec(List.of("tar", "tzf", archive.toString()), Map.of());
    assertThat(r.code).as(r.err).isZero();
    return r.out
        .lines()
        .map(l -> l.substring(l.indexOf('/') + 1))
        .filter(l -> !l.isEmpty())
        .toList();
  }

  /** Unpacks {@code archive} into {@link #dir} and returns its top directory. */
  private Path unpack(Path archive) throws Exception {
    Result r =
        exec(
            List.of("tar", "xzf", archive.toAbsolutePath().toString(), "-C", dir.toString()),
            Map.of());
    assertThat(r.code).as(r.err).isZero();
    String name = archive.getFileName().toString();
    return dir.resolve(name.substring(0, name.length() - ".tar.gz".length()));
  }

  private record Result(int code, String out, String err) {}

  private static Result exec(List<String> cmd, Map<String, String> env) throws Exception {
    ProcessBuilder pb = new ProcessBuilder(cmd);
    pb.environment().putAll(env);
    Path out = Files.createTempFile("archive-it", ".out");
    Path err = Files.createTempFile("archive-it", ".err");
    try {
      Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
      if (!p.waitFor(60, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new AssertionError("timed out: " + cmd);
      }
      return new Result(p.exitValue(), Files.readString(out), Files.readString(err));
    } finally {
      Files.deleteIfExists(out);
      Files.deleteIfExists(err);
    }
  }

  @Test
  void theArchivesHoldLaunchersJarsAndTheirConfig() throws Exception {
    for (String tier : List.of("ingestion", "processing")) {
      Path archive = archive(tier);
      String version =
          archive
              .getFileName()
              .toString()
              .substring(
                  ("tiercel-" + tier + "-").length(),
                  archive.getFileName().toString().length() - 7);
      List<String> entries = entries(archive);
      assertThat(entries)
          .as(tier)
          .contains(
              "bin/tiercel",
              "bin/tiercel-" + tier,
              "bin/tiercel-tier.sh",
              "config/" + tier + ".yaml",
              "docs/TWO-TIERS.md",
              "docs/TELEMETRY.md",
              "monitoring/tiercel.json",
              "monitoring/tiercel-alerts.yaml",
              "lib/collector-core-" + version + ".jar",
              "lib/otlp-" + version + ".jar",
              "lib/processors-" + version + ".jar",
              "lib/kafka-common-" + version + ".jar",
              "lib/components.yaml");
      assertThat(entries)
          .as(tier)
          .filteredOn(e -> e.startsWith("config/") && !e.equals("config/"))
          .containsExactly("config/" + tier + ".yaml");
      assertThat(entries)
          .as(tier)
          .filteredOn(
              e -> e.startsWith("lib/") && !e.equals("lib/") && !e.equals("lib/components.yaml"))
          .allSatisfy(e -> assertThat(e).endsWith(".jar"))
          .noneSatisfy(e -> assertThat(e).matches("lib/(testing|benchmarks|junit|assertj).*"));
      // the shipped config is the one in config/ of this module
      Path home = unpack(archive);
      assertThat(Files.readString(home.resolve("config/" + tier + ".yaml")))
          .isEqualTo(Files.readString(Path.of("config", tier + ".yaml")));
      assertThat(Files.isExecutable(home.resolve("bin/tiercel-" + tier))).isTrue();
      assertThat(Files.isExecutable(home.resolve("bin/tiercel"))).isTrue();
    }
  }

  @Test
  void theLaunchersValidateTheShippedConfigs() throws Exception {
    Path ingestion = unpack(archive("ingestion"));
    Result r =
        exec(List.of(ingestion.resolve("bin/tiercel-ingestion").toString(), "validate"), Map.of());
    assertThat(r.code).as(r.out + r.err).isZero();
    assertThat(r.out).isEqualTo("config is valid\n");

    Path processing = unpack(archive("processing"));
    String launcher = processing.resolve("bin/tiercel-processing").toString();
    r = exec(List.of(launcher, "validate"), Map.of("OTLP_ENDPOINT", "http://backend.example:4317"));
    assertThat(r.code).as(r.out + r.err).isZero();
    assertThat(r.out).isEqualTo("config is valid\n");
    // OTLP_ENDPOINT is required: without it the default config is refused, naming the place
    r = exec(List.of("env", "-u", "OTLP_ENDPOINT", launcher, "validate"), Map.of());
    assertThat(r.code).as(r.out + r.err).isEqualTo(1);
    assertThat(r.err)
        .contains(
            "exporters.otlp_grpc.endpoint: environment variable \"OTLP_ENDPOINT\" is not set");
    // an explicit --config replaces the default
    Path other =
        Files.writeString(
            dir.resolve("other.yaml"),
            """
            receivers: {kafka: {}}
            exporters: {debug: {}}
            service: {pipelines: {traces: {receivers: [kafka], exporters: [debug]}}}
            """);
    r =
        exec(
            List.of(
                "env", "-u", "OTLP_ENDPOINT", launcher, "validate", "--config", other.toString()),
            Map.of());
    assertThat(r.code).as(r.out + r.err).isZero();
  }

  @Test
  void bothTiersRunFromTheirArchivesWithTheirDefaultConfigs() throws Exception {
    broker.createTopic("otlp_spans", 3);
    Path home = unpack(archive("ingestion"));
    Path stderr = dir.resolve("stderr.txt");
    Path stdout = dir.resolve("stdout.txt");
    // port 0 everywhere: the log says where the receiver listens
    ProcessBuilder pb =
        new ProcessBuilder(
            List.of(
                home.resolve("bin/tiercel-ingestion").toString(),
                "--set",
                "receivers.otlp.protocols.grpc.endpoint=127.0.0.1:0",
                "--set",
                "receivers.otlp.protocols.http.endpoint=127.0.0.1:0",
                "--set",
                "extensions.health_check.endpoint=127.0.0.1:0",
                "--set",
                "service.telemetry.metrics.address=127.0.0.1:0",
                "--shutdown-timeout",
                "20s"));
    pb.environment().put("KAFKA_BROKERS", broker.bootstrapServers());
    pb.environment().put("JAVA_OPTS", "-Xmx256m -Dtiercel.archive.it=true");
    Process p = pb.redirectOutput(stdout.toFile()).redirectError(stderr.toFile()).start();
    List<SpanData> spans;
    try {
      String started =
          await(
              "\"Everything is ready\"",
              () -> read(stderr),
              s -> s.contains("Everything is ready"),
              p);
      Matcher m = Pattern.compile("Starting OTLP/gRPC server on \\S*:(\\d+)").matcher(started);
      assertThat(m.find()).as(started).isTrue();
      int grpcPort = Integer.parseInt(m.group(1));
      assertThat(p.info().arguments().orElse(new String[0]))
          .as("JAVA_OPTS reach the JVM")
          .contains("-Dtiercel.archive.it=true");

      spans = sampleTraces().spans();
      try (OtlpGrpcSpanExporter e =
          OtlpGrpcSpanExporter.builder()
              .setEndpoint("http://127.0.0.1:" + grpcPort)
              .setTimeout(Duration.ofSeconds(30))
              .build()) {
        CompletableResultCode result = e.export(spans).join(60, TimeUnit.SECONDS);
        assertThat(result.isSuccess()).as(read(stderr)).isTrue();
      }
    } finally {
      p.destroy(); // SIGTERM: the launcher exec'd the JVM, so the signal reaches its shutdown hook
    }
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).as("exited within the shutdown deadline").isTrue();
    String log = read(stderr);
    assertThat(p.exitValue()).as(log).isEqualTo(143);
    assertThat(log)
        .contains("Shutdown requested")
        .contains("Shutdown complete.")
        .doesNotContain("Error:");

    // one record per trace, keyed by the trace id, holding exactly that trace's spans
    Map<String, List<String>> sent = new TreeMap<>();
    for (SpanData s : spans) {
      sent.computeIfAbsent(s.getTraceId(), k -> new ArrayList<>()).add(s.getSpanId());
    }
    Map<String, List<String>> inKafka = new TreeMap<>();
    for (ConsumerRecord<byte[], byte[]> r : readAll("otlp_spans", sent.size())) {
      String key = new String(r.key(), StandardCharsets.US_ASCII);
      TracesData t = TracesData.parseFrom(r.value());
      List<String> ids = new ArrayList<>();
      t.getResourceSpansList()
          .forEach(
              rs ->
                  rs.getScopeSpansList()
                      .forEach(
                          ss ->
                              ss.getSpansList()
                                  .forEach(
                                      sp -> {
                                        assertThat(hex(sp.getTraceId().toByteArray()))
                                            .isEqualTo(key);
                                        ids.add(hex(sp.getSpanId().toByteArray()));
                                      })));
      assertThat(inKafka.put(key, ids)).as("a second record for trace " + key).isNull();
    }
    assertThat(inKafka.keySet()).containsExactlyElementsOf(sent.keySet());
    sent.forEach(
        (trace, ids) -> assertThat(inKafka.get(trace)).containsExactlyInAnyOrderElementsOf(ids));

    theProcessingTierRunsFromItsArchiveAndExportsTheSampledTraces(sent);
  }

  /**
   * The unpacked processing tier with its default config (only ports changed) reads the records the
   * ingestion tier wrote, decides every trace with the shipped tail_sampling policies after the
   * shipped decision_wait, and exports exactly the kept traces, every span of each, over OTLP gRPC
   * to a backend (a Tiercel service writing a file). The decisions are read from its metrics
   * endpoint: every trace decided, per policy as expected.
   */
  private void theProcessingTierRunsFromItsArchiveAndExportsTheSampledTraces(
      Map<String, List<String>> sent) throws Exception {
    SampleTraces sample = sampleTraces();
    assertThat(sent.keySet()).as("the SDK's ids are the seeded ones").isEqualTo(sample.all());
    Set<String> kept = sample.kept();
    // the seeded data shows both sides of the 10% policy: 2 of the 20 fast OK traces kept, 18
    // dropped
    assertThat(sample.fast()).filteredOn(kept::contains).hasSize(2);
    Map<String, List<String>> expected = new TreeMap<>(sent);
    expected.keySet().retainAll(kept);
    int backendPort = freePort();
    int metricsPort = freePort();
    Path out = dir.resolve("backend.jsonl");
    Path backendYaml =
        Files.writeString(
            dir.resolve("backend.yaml"),
            """
            receivers:
              otlp: {protocols: {grpc: {endpoint: 127.0.0.1:%d}}}
            exporters:
              file: {path: %s}
            service:
              telemetry: {metrics: {level: none}}
              pipelines:
                traces: {receivers: [otlp], exporters: [file]}
            """
                .formatted(backendPort, out));
    Service backend =
        new Service(
            new ConfigLoader(ComponentRegistry.load(), System::getenv)
                .load(List.of(backendYaml.toString()), List.of()),
            BuildInfo.DEFAULT,
            new MetricsRegistry(),
            Clock.systemUTC());
    backend.start();
    Path home = unpack(archive("processing"));
    Path stderr = dir.resolve("processing-stderr.txt");
    ProcessBuilder pb =
        new ProcessBuilder(
            List.of(
                home.resolve("bin/tiercel-processing").toString(),
                "--set",
                "extensions.health_check.endpoint=127.0.0.1:0",
                "--set",
                "service.telemetry.metrics.address=127.0.0.1:" + metricsPort,
                "--shutdown-timeout",
                "20s"));
    pb.environment().put("KAFKA_BROKERS", broker.bootstrapServers());
    pb.environment().put("OTLP_ENDPOINT", "http://127.0.0.1:" + backendPort);
    pb.environment().put("JAVA_OPTS", "-Xmx256m");
    Process p =
        pb.redirectOutput(dir.resolve("processing-stdout.txt").toFile())
            .redirectError(stderr.toFile())
            .start();
    Map<String, List<String>> exported = new TreeMap<>();
    Map<String, Long> decisions;
    try {
      // every trace decided (the shipped decision_wait is 10s), then every kept span at the backend
      decisions =
          await(
              sent.size() + " traces decided",
              () -> samplingCounts(metricsPort),
              c ->
                  c.getOrDefault("global/true", 0L) + c.getOrDefault("global/false", 0L)
                      >= sent.size(),
              p);
      int spans = expected.values().stream().mapToInt(List::size).sum();
      await(
          spans + " sampled spans at the backend",
          () -> {
            exported.clear();
            for (String line : read(out).lines().toList()) {
              TracesData t = decode(line);
              t.getResourceSpansList()
                  .forEach(
                      rs -> {
                        assertThat(rs.getResource().getAttributesList())
                            .as("set by the default transform")
                            .anySatisfy(
                                kv -> {
                                  assertThat(kv.getKey()).isEqualTo("tiercel.tier");
                                  assertThat(kv.getValue().getStringValue())
                                      .isEqualTo("processing");
                                });
                        rs.getScopeSpansList()
                            .forEach(
                                ss ->
                                    ss.getSpansList()
                                        .forEach(
                                            sp ->
                                                exported
                                                    .computeIfAbsent(
                                                        hex(sp.getTraceId().toByteArray()),
                                                        k -> new ArrayList<>())
                                                    .add(hex(sp.getSpanId().toByteArray()))));
                      });
            }
            return exported.values().stream().mapToInt(List::size).sum();
          },
          n -> n >= spans,
          p);
    } finally {
      p.destroy();
      try {
        assertThat(p.waitFor(30, TimeUnit.SECONDS))
            .as("exited within the shutdown deadline")
            .isTrue();
      } finally {
        backend.shutdown(Duration.ofSeconds(10));
      }
    }
    String log = read(stderr);
    assertThat(p.exitValue()).as(log).isEqualTo(143);
    assertThat(log).contains("Shutdown complete.").doesNotContain("Error:");
    // exactly the kept traces, each complete: no dropped trace, no partial one
    assertThat(exported.keySet()).containsExactlyElementsOf(expected.keySet());
    expected.forEach(
        (trace, ids) -> assertThat(exported.get(trace)).containsExactlyInAnyOrderElementsOf(ids));
    // per policy, over all 25 traces: the errors and the slow traces, and the 10% share by trace-id
    // hash
    long tenPercent = sample.all().stream().filter(ArchiveIT::inTenPercent).count();
    assertThat(decisions)
        .containsExactlyInAnyOrderEntriesOf(
            Map.of(
                "global/true",
                (long) kept.size(),
                "global/false",
                (long) (sent.size() - kept.size()),
                "errors/true",
                (long) sample.errors().size(),
                "errors/false",
                (long) (sent.size() - sample.errors().size()),
                "slow/true",
                (long) sample.slow().size(),
                "slow/false",
                (long) (sent.size() - sample.slow().size()),
                "ten-percent/true",
                tenPercent,
                "ten-percent/false",
                sent.size() - tenPercent));
  }

  /**
   * The processing tier's tail_sampling decisions from its Prometheus endpoint: {@code
   * policy/sampled} from {@code count_traces_sampled} and {@code global/sampled} from {@code
   * global_count_traces_sampled}.
   */
  private static Map<String, Long> samplingCounts(int metricsPort) {
    String text;
    try {
      HttpResponse<String> r =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + metricsPort + "/metrics"))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
      text = r.body();
    } catch (IOException e) {
      return null; // not listening yet
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
    Map<String, Long> out = new TreeMap<>();
    Matcher m =
        Pattern.compile(
                "(?m)^otelcol_processor_tail_sampling_(global_)?count_traces_sampled_total\\{([^}]*)}"
                    + " (\\S+)$")
            .matcher(text);
    while (m.find()) {
      Matcher policy = Pattern.compile("policy=\"([^\"]*)\"").matcher(m.group(2));
      Matcher sampled = Pattern.compile("sampled=\"([^\"]*)\"").matcher(m.group(2));
      assertThat(sampled.find()).as(m.group()).isTrue();
      String who = m.group(1) != null ? "global" : policy.find() ? policy.group(1) : "?";
      out.merge(who + "/" + sampled.group(1), (long) Double.parseDouble(m.group(3)), Long::sum);
    }
    return out;
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  private static TracesData decode(String jsonLine) {
    try {
      return OtlpJson.decodeTraces(jsonLine.getBytes(StandardCharsets.UTF_8));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * What the SDK sends: 3 traces with an ERROR child span, 2 OK traces whose root lasts 1.5 s, and
   * 20 fast OK traces, 4 spans each, with trace ids from a seeded generator (the same every run).
   */
  private record SampleTraces(
      List<SpanData> spans, Set<String> errors, Set<String> slow, Set<String> fast) {
    Set<String> all() {
      Set<String> all = new TreeSet<>(errors);
      all.addAll(slow);
      all.addAll(fast);
      return all;
    }

    /**
     * What the shipped policies keep: errors, latency >= 1000 ms, or the 10% trace-id hash share.
     */
    Set<String> kept() {
      Set<String> kept = new TreeSet<>(errors);
      kept.addAll(slow);
      fast.stream().filter(ArchiveIT::inTenPercent).forEach(kept::add);
      return kept;
    }
  }

  private static SampleTraces sampleTraces() {
    List<SpanData> ended = new ArrayList<>();
    SpanProcessor collect = SdkSpans.collectInto(ended);
    // seed 3: 2 of the 20 fast traces fall in the 10% share (computed with inTenPercent)
    java.util.SplittableRandom traceIds = new java.util.SplittableRandom(3);
    java.util.SplittableRandom spanIds = new java.util.SplittableRandom(4);
    IdGenerator ids =
        new IdGenerator() {
          @Override
          public String generateSpanId() {
            return String.format("%016x", spanIds.nextLong() | 1);
          }

          @Override
          public String generateTraceId() {
            return String.format("%016x%016x", traceIds.nextLong() | 1, traceIds.nextLong());
          }
        };
    Set<String> errors = new TreeSet<>();
    Set<String> slow = new TreeSet<>();
    Set<String> fast = new TreeSet<>();
    try (SdkTracerProvider provider =
        SdkTracerProvider.builder()
            .addSpanProcessor(collect)
            .setIdGenerator(ids)
            .setResource(
                Resource.create(
                    Attributes.of(AttributeKey.stringKey("service.name"), "archive-it")))
            .build()) {
      Tracer tracer = provider.get("archive-it");
      long now = TimeUnit.MILLISECONDS.toNanos(System.currentTimeMillis());
      for (int t = 0; t < 25; t++) {
        boolean error = t < 3;
        boolean isSlow = t >= 3 && t < 5;
        long start = now - TimeUnit.MILLISECONDS.toNanos(isSlow ? 1500 : 40);
        Span root =
            tracer
                .spanBuilder("GET /orders/" + t)
                .setNoParent()
                .setStartTimestamp(start, TimeUnit.NANOSECONDS)
                .startSpan();
        Context ctx = Context.root().with(root);
        for (int c = 0; c < 3; c++) {
          Span child =
              tracer
                  .spanBuilder("child-" + c)
                  .setParent(ctx)
                  .setStartTimestamp(start + 1_000_000L * (c + 1), TimeUnit.NANOSECONDS)
                  .startSpan();
          if (error && c == 1) {
            child.setStatus(StatusCode.ERROR, "upstream returned 503");
          }
          child.end(start + 1_000_000L * (c + 2), TimeUnit.NANOSECONDS);
        }
        root.end(now, TimeUnit.NANOSECONDS);
        String id = root.getSpanContext().getTraceId();
        (error ? errors : isSlow ? slow : fast).add(id);
      }
    }
    assertThat(ended).hasSize(100);
    return new SampleTraces(ended, errors, slow, fast);
  }

  /**
   * The shipped probabilistic policy's answer, from the collector's definition: FNV-1a 64 over the
   * default salt {@code default-hash-seed} and the 16 trace id bytes, sampled when at most (2^64-1)
   * x 10%.
   */
  static boolean inTenPercent(String traceId) {
    long h = 0xcbf29ce484222325L;
    byte[] salt = "default-hash-seed".getBytes(StandardCharsets.UTF_8);
    byte[] id = java.util.HexFormat.of().parseHex(traceId);
    for (byte[] part : List.of(salt, id)) {
      for (byte b : part) {
        h ^= b & 0xff;
        h *= 0x100000001b3L;
      }
    }
    long threshold = new BigInteger("ffffffffffffffff", 16).divide(BigInteger.TEN).longValue();
    return Long.compareUnsigned(h, threshold) <= 0;
  }

  private static List<ConsumerRecord<byte[], byte[]>> readAll(String topic, int expected) {
    List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
    try (KafkaConsumer<byte[], byte[]> c = broker.consumer(Map.of())) {
      List<TopicPartition> parts =
          c.partitionsFor(topic).stream()
              .map(i -> new TopicPartition(topic, i.partition()))
              .toList();
      c.assign(parts);
      c.seekToBeginning(parts);
      long end = System.nanoTime() + WAIT.toNanos();
      while (out.size() < expected && System.nanoTime() < end) {
        c.poll(Duration.ofMillis(200)).forEach(out::add);
      }
      // nothing more than expected: read once more after the last record arrived
      c.poll(Duration.ofMillis(500)).forEach(out::add);
    }
    assertThat(out).hasSize(expected);
    return out;
  }

  private static String hex(byte[] b) {
    return java.util.HexFormat.of().formatHex(b);
  }

  private static String read(Path p) {
    try {
      return Files.exists(p) ? Files.readString(p, StandardCharsets.UTF_8) : "";
    } catch (IOException e) {
      return "";
    }
  }

  private static <T> T await(
      String what,
      java.util.function.Supplier<T> probe,
      java.util.function.Predicate<T> ok,
      Process p)
      throws InterruptedException {
    long end = System.nanoTime() + WAIT.toNanos();
    T last = null;
    while (System.nanoTime() < end) {
      last = probe.get();
      if (last != null && ok.test(last)) {
        return last;
      }
      if (!p.isAlive()) {
        throw new AssertionError(
            "the tier exited with " + p.exitValue() + " while waiting for " + what + ":\n" + last);
      }
      Thread.sleep(100);
    }
    throw new AssertionError("timed out waiting for " + what + "; last: " + last);
  }

  // ---------------------------------------------------------------- each tier's jars and
  // components (issue 8)

  /**
   * The demo's broker and what only it brings (pom.xml's demo.broker.artifacts): in neither tier
   * archive.
   */
  private static final List<String> BROKER_ARTIFACTS =
      List.of(
          "kafka_2.13",
          "kafka-server",
          "kafka-server-common",
          "kafka-group-coordinator-api",
          "kafka-group-coordinator",
          "kafka-transaction-coordinator",
          "kafka-metadata",
          "kafka-storage-api",
          "kafka-storage",
          "kafka-tools-api",
          "kafka-raft",
          "kafka-coordinator-common",
          "kafka-share-coordinator",
          "scala-library",
          "scala-reflect",
          "scala-logging_2.13",
          "pcollections",
          "HdrHistogram",
          "argparse4j",
          "jopt-simple",
          "jose4j",
          "metrics-core",
          "re2j",
          "jackson-databind",
          "jackson-annotations",
          "jackson-core",
          "jackson-dataformat-csv",
          "jackson-datatype-jdk8",
          "jackson-dataformat-yaml",
          "commons-validator",
          "commons-beanutils",
          "commons-digester",
          "commons-logging",
          "commons-collections");

  /**
   * What else each tier leaves out of the full runtime classpath: the other tier's Kafka module,
   * unused clients.
   */
  private static final Map<String, List<String>> TIER_LEAVES_OUT =
      Map.of(
          "ingestion", List.of("kafka-receiver", "okhttp-jvm", "okio-jvm", "kotlin-stdlib"),
          "processing", List.of("kafka-exporter"));

  private static final Pattern JAR = Pattern.compile("lib/((.+?)-\\d[^/]*\\.jar)");

  @Test
  void eachTierArchiveCarriesOnlyItsTiersJars() throws Exception {
    Set<String> full = new TreeSet<>();
    try (Stream<Path> s = Files.list(TARGET.resolve("lib"))) {
      s.forEach(p -> full.add(p.getFileName().toString()));
    }
    for (String tier : List.of("ingestion", "processing")) {
      Map<String, String> lib = new TreeMap<>(); // jar file name -> artifact id
      for (String e : entries(archive(tier))) {
        Matcher m = JAR.matcher(e);
        if (m.matches() && !m.group(1).startsWith("distributions-")) {
          lib.put(m.group(1), m.group(2));
        }
      }
      assertThat(full)
          .as("%s: every jar of the tier is on the full runtime classpath", tier)
          .containsAll(lib.keySet());
      String ownKafkaModule = tier.equals("ingestion") ? "kafka-exporter" : "kafka-receiver";
      assertThat(lib.values())
          .as("%s: no broker jar, no scala", tier)
          .noneMatch(
              a ->
                  a.startsWith("scala")
                      || a.startsWith("kafka")
                          && !List.of("kafka-clients", "kafka-common", ownKafkaModule).contains(a));
      List<String> left =
          full.stream()
              .filter(f -> !lib.containsKey(f))
              .map(f -> JAR.matcher("lib/" + f))
              .filter(Matcher::matches)
              .map(m -> m.group(2))
              .toList();
      List<String> expected = new ArrayList<>(BROKER_ARTIFACTS);
      expected.addAll(TIER_LEAVES_OUT.get(tier));
      assertThat(left)
          .as("%s: what the full classpath has and the tier does not", tier)
          .containsExactlyInAnyOrderElementsOf(expected);
      Path home = unpack(archive(tier));
      assertThat(Files.readString(home.resolve("lib/components.yaml")))
          .isEqualTo(Files.readString(Path.of("components", tier + ".yaml")));
    }
  }

  /**
   * The {@code name:} entries of each section of a {@code components} listing, and its build
   * command.
   */
  private static Map<String, List<String>> listed(String yaml) {
    Map<String, List<String>> out = new TreeMap<>();
    String section = null;
    for (String line : yaml.lines().toList()) {
      if (!line.startsWith(" ")) {
        section = line.substring(0, line.indexOf(':'));
        out.put(section, new ArrayList<>());
      } else if (line.startsWith("  - name: ")
          || line.startsWith("  - id: ")
          || line.startsWith("  command: ")) {
        out.get(section).add(line.substring(line.indexOf(": ") + 2));
      }
    }
    return out;
  }

  @Test
  void theTierLaunchersListExactlyTheirTiersComponents() throws Exception {
    Path ingestion = unpack(archive("ingestion"));
    Result r =
        exec(
            List.of(ingestion.resolve("bin/tiercel-ingestion").toString(), "components"), Map.of());
    assertThat(r.code).as(r.err).isZero();
    assertThat(listed(r.out))
        .isEqualTo(
            Map.of(
                "buildinfo",
                List.of("tiercel-ingestion"),
                "receivers",
                List.of("otlp"),
                "processors",
                List.of("batch", "filter", "memory_limiter", "transform"),
                "exporters",
                List.of("debug", "kafka"),
                "extensions",
                List.of(
                    "basicauth",
                    "bearertokenauth",
                    "file_storage",
                    "health_check",
                    "json_log_encoding",
                    "otlp_encoding",
                    "text_encoding",
                    "zipkin_encoding",
                    "zpages"),
                "feature_gates",
                List.of(
                    "ottl.functions.enableLambda",
                    "processor.filter.defaultErrorModeIgnore",
                    "processor.transform.defaultErrorModeIgnore",
                    "transform.flatten.logs")));
    // the archive's bin/tiercel is the same tier
    assertThat(
            exec(List.of(ingestion.resolve("bin/tiercel").toString(), "components"), Map.of()).out)
        .isEqualTo(r.out);

    Path processing = unpack(archive("processing"));
    r =
        exec(
            List.of(processing.resolve("bin/tiercel-processing").toString(), "components"),
            Map.of());
    assertThat(r.code).as(r.err).isZero();
    assertThat(listed(r.out))
        .isEqualTo(
            Map.of(
                "buildinfo",
                List.of("tiercel-processing"),
                "receivers",
                List.of("kafka"),
                "processors",
                List.of("batch", "filter", "memory_limiter", "tail_sampling", "transform"),
                "exporters",
                List.of("debug", "file", "otlp_grpc", "otlp_http"),
                "extensions",
                List.of(
                    "basicauth",
                    "bearertokenauth",
                    "file_storage",
                    "health_check",
                    "json_log_encoding",
                    "otlp_encoding",
                    "text_encoding",
                    "zipkin_encoding",
                    "zpages"),
                "feature_gates",
                List.of(
                    "ottl.functions.enableLambda",
                    "processor.filter.defaultErrorModeIgnore",
                    "processor.transform.defaultErrorModeIgnore",
                    "transform.flatten.logs")));
  }

  @Test
  void theIngestionTierRefusesATailSamplingConfigNamingThePlace() throws Exception {
    Path home = unpack(archive("ingestion"));
    Path yaml =
        Files.writeString(
            dir.resolve("sampling.yaml"),
            """
            receivers: {otlp: {protocols: {grpc: {endpoint: 127.0.0.1:0}}}}
            processors:
              tail_sampling: {policies: [{name: errors, type: status_code, status_code: {status_codes: [ERROR]}}]}
            exporters: {debug: {}}
            service: {pipelines: {traces: {receivers: [otlp], processors: [tail_sampling], exporters: [debug]}}}
            """);
    Result r =
        exec(
            List.of(
                home.resolve("bin/tiercel-ingestion").toString(),
                "validate",
                "--config",
                yaml.toString()),
            Map.of());
    assertThat(r.code).as(r.out + r.err).isEqualTo(1);
    assertThat(r.err)
        .isEqualTo(
            """
            Error: invalid configuration (1 error):
              processors.tail_sampling: processor type "tail_sampling" is not included in this distribution \
            (tiercel-ingestion); its processor types are: batch, filter, memory_limiter, transform
            """);
  }

  @Test
  void theDemoFromATierArchiveSaysItIsNotThere() throws Exception {
    for (String tier : List.of("ingestion", "processing")) {
      Path home = unpack(archive(tier));
      Result r =
          exec(
              List.of(home.resolve("bin/tiercel-" + tier).toString(), "demo", "--duration", "5s"),
              Map.of());
      assertThat(r.code).as(r.out + r.err).isEqualTo(1);
      assertThat(r.out).isEmpty();
      assertThat(r.err)
          .isEqualTo(
              "Error: the demo is not part of this distribution: tiercel-"
                  + tier
                  + " carries only its own tier's components, and the demo runs both tiers. Run it"
                  + " from a Tiercel source checkout with bin/tiercel demo (it builds what it"
                  + " needs), whose classpath has every component and the embedded broker.\n");
    }
  }
}
