package io.tiercel.kafka.receiver;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.LogsData;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.MetricsData;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.TracesData;
import io.tiercel.core.builtin.file.FileExporterConfig;
import io.tiercel.core.builtin.file.FileExporterFactory;
import io.tiercel.core.component.ComponentId;
import io.tiercel.core.component.Consumers;
import io.tiercel.core.component.Deadline;
import io.tiercel.core.component.Exporter;
import io.tiercel.core.component.Kind;
import io.tiercel.core.component.Receiver;
import io.tiercel.core.component.Settings;
import io.tiercel.core.config.ConfigBinder;
import io.tiercel.core.consumer.Context;
import io.tiercel.core.pdata.Logs;
import io.tiercel.core.pdata.Metrics;
import io.tiercel.core.pdata.Signal;
import io.tiercel.core.pdata.Traces;
import io.tiercel.kafka.exporter.KafkaExporterConfig;
import io.tiercel.kafka.exporter.KafkaExporterFactory;
import io.tiercel.testing.TestData;
import io.tiercel.testing.component.TestHost;
import io.tiercel.testing.kafka.KafkaBroker;
import io.tiercel.testing.kafka.KafkaBrokerTest;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The two tiers end to end: the ingestion tier's {@code kafka} exporter (keyed by trace id /
 * resource) writes the three signals to topics, this receiver reads them into {@code file}
 * exporters, and the files hold exactly the items sent, for both encodings.
 */
@KafkaBrokerTest
class TierRoundTripIT {
  static KafkaBroker broker;

  @TempDir Path dir;

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"otlp_proto", "otlp_json"})
  void exporterTopicReceiverFileHoldsExactlyWhatWasSent(String encoding) throws Exception {
    String p = "tier-" + encoding + "-";
    Map<String, Object> exporterYaml =
        Map.of(
            "brokers",
            List.of(broker.bootstrapServers()),
            "traces",
            Map.of("topic", p + "spans", "encoding", encoding),
            "metrics",
            Map.of("topic", p + "metrics", "encoding", encoding),
            "logs",
            Map.of("topic", p + "logs", "encoding", encoding),
            "partition_traces_by_id",
            true,
            "partition_metrics_by_resource_attributes",
            true,
            "partition_logs_by_resource_attributes",
            true);
    for (String t : List.of("spans", "metrics", "logs")) {
      broker.createTopic(p + t, 3);
    }
    KafkaExporterFactory kf = new KafkaExporterFactory();
    KafkaExporterConfig kc =
        ConfigBinder.bind(
            KafkaExporterConfig.class, kf.createDefaultConfig(), exporterYaml, "exporters.kafka");
    List<Traces> traces = new ArrayList<>();
    List<Metrics> metrics = new ArrayList<>();
    List<Logs> logs = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      traces.add(TestData.traces(8, 4, i));
      metrics.add(TestData.metrics(3, 4, i));
      logs.add(TestData.logs(6, i));
    }
    Exporter<Traces> et = kf.createTraces(settings(Kind.EXPORTER, "kafka", Signal.TRACES), kc);
    Exporter<Metrics> em = kf.createMetrics(settings(Kind.EXPORTER, "kafka", Signal.METRICS), kc);
    Exporter<Logs> el = kf.createLogs(settings(Kind.EXPORTER, "kafka", Signal.LOGS), kc);
    for (Exporter<?> e : List.of(et, em, el)) {
      e.start(TestHost.create());
    }
    for (int i = 0; i < 5; i++) {
      et.consume(Context.EMPTY, traces.get(i)).get();
      em.consume(Context.EMPTY, metrics.get(i)).get();
      el.consume(Context.EMPTY, logs.get(i)).get();
    }
    for (Exporter<?> e : List.of(et, em, el)) {
      e.shutdown(Deadline.in(Duration.ofSeconds(10)));
    }

    FileExporterFactory ff = new FileExporterFactory();
    Exporter<Traces> ft =
        ff.createTraces(settings(Kind.EXPORTER, "file", Signal.TRACES), file("spans"));
    Exporter<Metrics> fm =
        ff.createMetrics(settings(Kind.EXPORTER, "file", Signal.METRICS), file("metrics"));
    Exporter<Logs> fl = ff.createLogs(settings(Kind.EXPORTER, "file", Signal.LOGS), file("logs"));
    for (Exporter<?> e : List.of(ft, fm, fl)) {
      e.start(TestHost.create());
    }
    ItSupport it = new ItSupport(broker);
    ConfigBuilder b = it.config("g-" + p, p + "spans", p + "metrics", p + "logs");
    var enc =
        encoding.equals("otlp_json")
            ? io.tiercel.kafka.common.encoding.RecordEncoding.OTLP_JSON
            : io.tiercel.kafka.common.encoding.RecordEncoding.OTLP_PROTO;
    b.traces = new SignalTopics(List.of(p + "spans"), null, enc);
    b.metrics = new SignalTopics(List.of(p + "metrics"), null, enc);
    b.logs = new SignalTopics(List.of(p + "logs"), null, enc);
    Receiver r =
        it.start(settings(Kind.RECEIVER, "kafka", null), b.build(), new Consumers(ft, fm, fl));
    try {
      assertThat(
              ItSupport.eventually(
                  Duration.ofSeconds(30),
                  () -> {
                    try {
                      return it.lag("g-" + p, p + "spans", 3) == 0
                          && it.lag("g-" + p, p + "metrics", 3) == 0
                          && it.lag("g-" + p, p + "logs", 3) == 0
                          && it.committed("g-" + p, p + "spans").size() > 0;
                    } catch (Exception e) {
                      return false;
                    }
                  }))
          .as("every record committed")
          .isTrue();
    } finally {
      r.shutdown(Deadline.in(Duration.ofSeconds(10)));
      for (Exporter<?> e : List.of(ft, fm, fl)) {
        e.shutdown(Deadline.in(Duration.ofSeconds(10)));
      }
    }

    List<Span> sentSpans = new ArrayList<>();
    traces.forEach(
        t ->
            t.message()
                .getResourceSpansList()
                .forEach(
                    rs ->
                        rs.getScopeSpansList().forEach(ss -> sentSpans.addAll(ss.getSpansList()))));
    List<Span> gotSpans = new ArrayList<>();
    for (byte[] rec : records(dir.resolve("spans"))) {
      TracesData.parseFrom(rec)
          .getResourceSpansList()
          .forEach(rs -> rs.getScopeSpansList().forEach(ss -> gotSpans.addAll(ss.getSpansList())));
    }
    Comparator<Span> bySpan =
        Comparator.comparing(s -> s.getSpanId().toStringUtf8() + s.getTraceId().toStringUtf8());
    assertThat(sorted(gotSpans, bySpan)).hasSize(160).isEqualTo(sorted(sentSpans, bySpan));

    List<Metric> sentMetrics = new ArrayList<>();
    metrics.forEach(
        m ->
            m.message()
                .getResourceMetricsList()
                .forEach(
                    rm ->
                        rm.getScopeMetricsList()
                            .forEach(sm -> sentMetrics.addAll(sm.getMetricsList()))));
    List<Metric> gotMetrics = new ArrayList<>();
    for (byte[] rec : records(dir.resolve("metrics"))) {
      MetricsData.parseFrom(rec)
          .getResourceMetricsList()
          .forEach(
              rm -> rm.getScopeMetricsList().forEach(sm -> gotMetrics.addAll(sm.getMetricsList())));
    }
    assertThat(gotMetrics)
        .hasSize(sentMetrics.size())
        .containsExactlyInAnyOrderElementsOf(sentMetrics);

    List<LogRecord> sentLogs = new ArrayList<>();
    logs.forEach(
        l ->
            l.message()
                .getResourceLogsList()
                .forEach(
                    rl ->
                        rl.getScopeLogsList()
                            .forEach(sl -> sentLogs.addAll(sl.getLogRecordsList()))));
    List<LogRecord> gotLogs = new ArrayList<>();
    for (byte[] rec : records(dir.resolve("logs"))) {
      LogsData.parseFrom(rec)
          .getResourceLogsList()
          .forEach(
              rl -> rl.getScopeLogsList().forEach(sl -> gotLogs.addAll(sl.getLogRecordsList())));
    }
    assertThat(gotLogs).hasSize(30).containsExactlyInAnyOrderElementsOf(sentLogs);
  }

  private FileExporterConfig file(String name) throws Exception {
    return ConfigBinder.bind(
        FileExporterConfig.class,
        FileExporterConfig.DEFAULT,
        Map.of("path", dir.resolve(name).toString(), "format", "proto", "flush_interval", "10ms"),
        "exporters.file");
  }

  private static Settings settings(Kind kind, String type, Signal signal) {
    return Settings.forTest(kind, new ComponentId(type, "tier"), signal);
  }

  /** The records of a {@code format: proto} file: 4-byte big-endian length, then the bytes. */
  private static List<byte[]> records(Path file) throws Exception {
    ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(file));
    List<byte[]> out = new ArrayList<>();
    while (b.remaining() >= 4) {
      byte[] rec = new byte[b.getInt()];
      b.get(rec);
      out.add(rec);
    }
    return out;
  }

  private static <T> List<T> sorted(List<T> l, Comparator<T> c) {
    List<T> s = new ArrayList<>(l);
    s.sort(c);
    return s;
  }
}
