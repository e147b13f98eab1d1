package io.tiercel.kafka.exporter;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.LogsData;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.tiercel.core.component.ComponentId;
import io.tiercel.core.component.Deadline;
import io.tiercel.core.component.Kind;
import io.tiercel.core.component.Settings;
import io.tiercel.core.consumer.Context;
import io.tiercel.core.pdata.Logs;
import io.tiercel.core.pdata.Signal;
import io.tiercel.core.pdata.Traces;
import io.tiercel.kafka.common.encoding.EncodingRef;
import io.tiercel.kafka.common.encoding.ext.ZipkinEncodingFactory;
import io.tiercel.testing.TestData;
import io.tiercel.testing.component.TestHost;
import io.tiercel.testing.kafka.KafkaBroker;
import io.tiercel.testing.kafka.KafkaBrokerTest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import zipkin2.codec.SpanBytesDecoder;

/** The exporter's raw logs and an encoding extension on the write side, on the real broker. */
@KafkaBrokerTest
class KafkaExporterEncodingsIT {
  static KafkaBroker broker;

  @Test
  void rawWritesEachLogRecordsBodyAsOneRecordValue() throws Exception {
    broker.createTopic("it_raw_logs", 1);
    Map<String, Object> m = KafkaExporterIT.base(broker, "unused");
    m.put("logs", new SignalDestination("it_raw_logs", EncodingRef.parse("raw"), null, null));
    ScopeLogs.Builder scope = ScopeLogs.newBuilder();
    for (int i = 0; i < 50; i++) {
      scope.addLogRecords(
          LogRecord.newBuilder()
              .setBody(AnyValue.newBuilder().setStringValue(i % 10 == 0 ? "" : "line " + i)));
    }
    Logs logs =
        Logs.of(
            LogsData.newBuilder()
                .addResourceLogs(ResourceLogs.newBuilder().addScopeLogs(scope))
                .build());
    KafkaExporter<Logs> e =
        new KafkaExporter<>(
            Settings.forTest(Kind.EXPORTER, new ComponentId("kafka", "raw"), Signal.LOGS),
            KafkaExporterConfigTest.with(m));
    e.start(TestHost.create());
    try {
      e.consume(Context.EMPTY, logs).get(60, TimeUnit.SECONDS);
    } finally {
      e.shutdown(Deadline.in(Duration.ofSeconds(10)));
    }
    List<String> values =
        KafkaExporterIT.readAll(broker, "it_raw_logs").stream()
            .map(r -> new String(r.value(), StandardCharsets.UTF_8))
            .toList();
    // the five empty bodies write nothing, as in the collector
    assertThat(values).hasSize(45).doesNotContain("").contains("line 1", "line 49");
  }

  @Test
  void anEncodingExtensionWritesWhatZipkinsOwnLibraryReads() throws Exception {
    broker.createTopic("it_zipkin_ext", 1);
    Map<String, Object> m = KafkaExporterIT.base(broker, "it_zipkin_ext");
    m.put(
        "traces",
        new SignalDestination(
            "it_zipkin_ext", EncodingRef.parse("zipkin_encoding/json"), null, null));
    ZipkinEncodingFactory f = new ZipkinEncodingFactory();
    var host =
        TestHost.withExtensions(
            Map.of(
                ComponentId.parse("zipkin_encoding/json"),
                f.create(
                    Settings.forTest(
                        Kind.EXTENSION, ComponentId.parse("zipkin_encoding/json"), null),
                    new ZipkinEncodingFactory.Config(
                        ZipkinEncodingFactory.Protocol.ZIPKIN_JSON,
                        ZipkinEncodingFactory.Version.V2))));
    KafkaExporter<Traces> e =
        new KafkaExporter<>(
            KafkaExporterIT.settings("zipkin_ext"), KafkaExporterConfigTest.with(m));
    e.start(host);
    Traces data = TestData.traces(2, 5, 1);
    try {
      e.consume(Context.EMPTY, data).get(60, TimeUnit.SECONDS);
    } finally {
      e.shutdown(Deadline.in(Duration.ofSeconds(10)));
    }
    int spans = 0;
    for (ConsumerRecord<byte[], byte[]> r : KafkaExporterIT.readAll(broker, "it_zipkin_ext")) {
      spans += SpanBytesDecoder.JSON_V2.decodeList(r.value()).size();
    }
    assertThat(spans).isEqualTo(data.itemCount()).isEqualTo(10);
  }
}
