package io.tiercel.core.extension.zpages;

import static org.assertj.core.api.Assertions.assertThat;

import io.tiercel.core.component.BuildInfo;
import io.tiercel.core.component.Component;
import io.tiercel.core.component.ComponentId;
import io.tiercel.core.component.Deadline;
import io.tiercel.core.component.Host;
import io.tiercel.core.component.LiveStatus;
import io.tiercel.core.component.Receiver;
import io.tiercel.core.component.ServiceView;
import io.tiercel.core.component.StatusRegistry;
import io.tiercel.core.telemetry.MetricsRegistry;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.impl.Log4jLogEvent;
import org.apache.logging.log4j.message.ParameterizedMessage;
import org.junit.jupiter.api.Test;

/** The {@code /api/status} document from real metrics and a service view, without sockets. */
class StatusDocumentTest {
  private static final long SECOND = 1_000_000_000L;

  /** A kafka receiver stand-in that reports its assignment. */
  private static final class LiveReceiver implements Receiver, LiveStatus {
    @Override
    public void start(Host host) {}

    @Override
    public void shutdown(Deadline deadline) {}

    @Override
    public Map<String, Object> liveStatus() {
      Map<String, Object> p = new LinkedHashMap<>();
      p.put("topic", "otlp_spans");
      p.put("partition", 0);
      p.put("committed_offset", 41);
      p.put("in_flight_records", 3);
      return Map.of("group_id", "g", "in_flight_records", 3, "partitions", List.of(p));
    }
  }

  private static ServiceView view(Map<String, Component> components) {
    ComponentId otlp = ComponentId.of("otlp");
    ComponentId kafka = ComponentId.of("kafka");
    return new ServiceView() {
      @Override
      public List<Pipeline> pipelines() {
        return List.of(
            new Pipeline(
                "traces",
                "traces",
                List.of(otlp, kafka), // fan-in
                List.of(ComponentId.of("batch")),
                List.of(kafka, ComponentId.of("debug"))), // fan-out
            new Pipeline(
                "traces/sampled",
                "traces",
                List.of(kafka),
                List.of(ComponentId.of("tail_sampling")),
                List.of(ComponentId.of("debug"))));
      }

      @Override
      public Map<String, Component> components() {
        return components;
      }

      @Override
      public Map<String, Object> effectiveConfig() {
        return Map.of("exporters", Map.of("kafka", Map.of("password", "[REDACTED]")));
      }
    };
  }

  @Test
  @SuppressWarnings("unchecked")
  void nodesEdgesRatesAndSections() {
    MetricsRegistry m = new MetricsRegistry();
    var accepted =
        m.counter("otelcol_receiver_accepted_spans", "", "receiver", "transport")
            .labelValues("otlp", "grpc");
    var refused =
        m.counter("otelcol_receiver_refused_spans", "", "receiver", "transport")
            .labelValues("otlp", "grpc");
    var in =
        m.counter("otelcol_processor_incoming_items", "", "processor", "otel_signal")
            .labelValues("batch", "traces");
    var sent = m.counter("otelcol_exporter_sent_spans", "", "exporter").labelValues("kafka");
    m.gauge("otelcol_exporter_queue_size", "", "exporter", "data_type")
        .labelValues("kafka", "traces")
        .set(250);
    m.gauge("otelcol_exporter_queue_capacity", "", "exporter", "data_type")
        .labelValues("kafka", "traces")
        .set(1000);
    m.gauge("otelcol_kafka_receiver_offset_lag", "", "receiver", "topic", "partition")
        .labelValues("kafka", "otlp_spans", "0")
        .set(7);
    var dlq =
        m.counter(
                "otelcol_kafka_receiver_dead_letter_records",
                "",
                "receiver",
                "topic",
                "partition",
                "reason")
            .labelValues("kafka", "otlp_spans", "0", "unmarshal");
    var received =
        m.counter("otelcol_kafka_receiver_records", "", "receiver", "topic", "partition", "outcome")
            .labelValues("kafka", "otlp_spans", "0", "success");
    var records =
        m.counter("otelcol_kafka_exporter_records", "", "exporter", "topic", "partition", "outcome")
            .labelValues("kafka", "otlp_spans", "2", "success");
    var latency =
        m.histogram(
                "otelcol_kafka_exporter_write_latency",
                "",
                new double[] {0.001, 0.01, 0.1},
                "exporter",
                "topic",
                "partition",
                "outcome")
            .labelValues("kafka", "otlp_spans", "2", "success");
    var sampled =
        m.counter(
                "otelcol_processor_tail_sampling_count_traces_sampled",
                "",
                "processor",
                "policy",
                "sampled")
            .labelValues("tail_sampling", "errors", "true");
    m.gauge("otelcol_processor_tail_sampling_sampling_traces_on_memory", "", "processor")
        .labelValues("tail_sampling")
        .set(12);

    History h = new History();
    for (int s = 0; s <= 20; s++) {
      h.add(Sample.take(m.prometheus(), s * SECOND));
      accepted.inc(100);
      refused.inc(2);
      in.inc(100);
      sent.inc(90);
      records.inc(10);
      received.inc(3);
      sampled.inc(1);
      if (s >= 15) { // the latency window starts ten samples back
        latency.observe(0.005);
      }
    }
    dlq.inc(4);
    h.add(Sample.take(m.prometheus(), 21 * SECOND));

    Map<String, Component> comps = new LinkedHashMap<>();
    comps.put("receiver/kafka", new LiveReceiver());
    StatusRegistry status = new StatusRegistry();
    status.report("receiver/otlp", StatusRegistry.Status.OK, null);
    RecentLogs logs = new RecentLogs("test");
    StatusDocument d =
        new StatusDocument(BuildInfo.DEFAULT, Instant.EPOCH, view(comps), status, h, logs);
    Map<String, Object> doc = d.build(Instant.ofEpochSecond(90));

    assertThat(doc.get("uptime_seconds")).isEqualTo(90.0);
    Map<String, Object> graph = (Map<String, Object>) doc.get("graph");
    List<Map<String, Object>> nodes = (List<Map<String, Object>>) graph.get("nodes");
    assertThat(nodes)
        .extracting(n -> n.get("id"))
        .containsExactly(
            "receiver/otlp",
            "receiver/kafka",
            "processor/batch[traces]",
            "exporter/kafka[traces]",
            "exporter/debug[traces]",
            "processor/tail_sampling[traces/sampled]");
    assertThat((List<Map<String, Object>>) graph.get("edges"))
        .extracting(e -> e.get("from") + " -> " + e.get("to"))
        .containsExactly(
            "receiver/otlp -> processor/batch[traces]",
            "receiver/kafka -> processor/batch[traces]",
            "processor/batch[traces] -> exporter/kafka[traces]",
            "processor/batch[traces] -> exporter/debug[traces]",
            "receiver/kafka -> processor/tail_sampling[traces/sampled]",
            "processor/tail_sampling[traces/sampled] -> exporter/debug[traces]");
    Map<String, Object> otlp = nodes.get(0);
    assertThat(otlp.get("status")).isEqualTo("OK");
    assertThat((Map<String, Object>) otlp.get("per_second"))
        .containsEntry("in", 102.0)
        .containsEntry("out", 100.0)
        .containsEntry("refused", 2.0);
    assertThat((Map<String, Object>) otlp.get("totals")).containsEntry("in", 21 * 102.0);
    Map<String, Object> kafkaExp = nodes.get(3);
    assertThat((Map<String, Object>) kafkaExp.get("queue")).containsEntry("fill", 0.25);
    assertThat((Map<String, Object>) kafkaExp.get("per_second")).containsEntry("out", 90.0);

    Map<String, Object> kr = ((List<Map<String, Object>>) doc.get("kafka_receivers")).get(0);
    assertThat(kr).containsEntry("group_id", "g").containsEntry("in_flight_records", 3);
    Map<String, Object> p0 = ((List<Map<String, Object>>) kr.get("partitions")).get(0);
    assertThat(p0)
        .containsEntry("committed_offset", 41)
        .containsEntry("lag", 7.0)
        .containsEntry("records_per_second", 3.0);
    assertThat((Map<String, Object>) kr.get("dead_letter"))
        .containsEntry("total", 4.0)
        .containsEntry("per_second", 4.0);

    List<Map<String, Object>> ke = (List<Map<String, Object>>) doc.get("kafka_exporters");
    assertThat(ke).isEmpty(); // no kafka exporter component in this view
    Map<String, Object> perPartition =
        (Map<String, Object>)
            ((List<Object>)
                    KafkaSections.exporters(
                            Map.of("exporter/kafka[traces]", new LiveReceiver()),
                            new StatusDocument.Rates(h.latest(), h.previous()),
                            h.oldest())
                        .stream()
                        .map(o -> ((Map<String, Object>) o).get("partitions"))
                        .findFirst()
                        .orElseThrow())
                .get(0);
    assertThat(perPartition)
        .containsEntry("partition", "2")
        .containsEntry("records_per_second", 10.0);
    // five observations of 5 ms in the window, all in the (1 ms, 10 ms] bucket
    assertThat((Double) perPartition.get("write_latency_p50_ms")).isBetween(1.0, 10.0);
    assertThat((Double) perPartition.get("write_latency_p99_ms")).isBetween(1.0, 10.0);

    assertThat(doc.get("tail_sampling")).isEqualTo(List.of()); // no tail_sampling component
    List<Object> ts =
        TailSamplingSection.of(
            Map.of("processor/tail_sampling[traces/sampled]", new LiveReceiver()),
            new StatusDocument.Rates(h.latest(), h.previous()),
            h.decisions());
    Map<String, Object> t = (Map<String, Object>) ts.get(0);
    assertThat(t).containsEntry("traces_held", 12.0);
    assertThat(t.get("policies")).isEqualTo(List.of("errors"));
    Map<String, Object> series = (Map<String, Object>) t.get("decisions");
    List<Map<String, Object>> points = (List<Map<String, Object>>) series.get("points");
    assertThat(points).hasSize(2);
    assertThat((Map<String, Object>) points.get(1).get("sampled")).containsEntry("errors", 10.0);
    assertThat(points.get(1)).containsEntry("seconds_ago", 0L);

    assertThat((String) doc.get("config")).contains("password: '[REDACTED]'");
    String json = Json.write(doc);
    assertThat(json).startsWith("{\"build\":{\"command\":\"tiercel\"");
  }

  @Test
  void recentLogsFoldRepeatsWithinTheThrottleWindowAndKeepTheNewestFirst() {
    RecentLogs logs = new RecentLogs("t");
    for (int i = 0; i < 5; i++) {
      logs.append(event(1000 + i, Level.WARN, "export failed: {}", "timeout " + i));
    }
    logs.append(event(2000, Level.ERROR, "poll thread failed", null));
    logs.append(event(1000 + RecentLogs.THROTTLE_MILLIS, Level.WARN, "export failed: {}", "late"));
    logs.append(event(3000, Level.INFO, "started", null)); // below WARN: not kept
    List<Map<String, Object>> s = logs.snapshot();
    assertThat(s)
        .extracting(e -> e.get("message"))
        .containsExactly("export failed: late", "poll thread failed", "export failed: timeout 0");
    assertThat(s.get(2)).containsEntry("repeated", 4L).containsEntry("level", "WARN");
  }

  @Test
  void quantilesInterpolateInsideTheBucket() {
    double[] bounds = {1, 2, 4, Double.POSITIVE_INFINITY};
    assertThat(Histograms.quantile(0.5, bounds, new long[] {0, 10, 0, 0})).isEqualTo(1.5);
    assertThat(Histograms.quantile(0.99, bounds, new long[] {0, 0, 0, 3})).isEqualTo(4.0);
    assertThat(Histograms.quantile(0.5, bounds, new long[] {0, 0, 0, 0})).isNull();
  }

  @Test
  void jsonWritesNonFiniteNumbersAsNullAndEscapesStrings() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("a", Double.NaN);
    m.put("b", 1.5);
    m.put("c", "x\"<y>\n");
    m.put("d", List.of(1, true));
    assertThat(Json.write(m))
        .isEqualTo("{\"a\":null,\"b\":1.5,\"c\":\"x\\\"<y>\\n\",\"d\":[1,true]}");
  }

  private static Log4jLogEvent event(long millis, Level level, String pattern, Object arg) {
    return Log4jLogEvent.newBuilder()
        .setLoggerName("io.tiercel.exporter.kafka")
        .setLevel(level)
        .setTimeMillis(millis)
        .setMessage(new ParameterizedMessage(pattern, arg))
        .build();
  }
}
