package io.tiercel.kafka.receiver;

import static org.assertj.core.api.Assertions.assertThat;

import io.tiercel.core.component.ComponentId;
import io.tiercel.core.component.Consumers;
import io.tiercel.core.component.Extension;
import io.tiercel.core.component.ExtensionFactory;
import io.tiercel.core.component.Host;
import io.tiercel.core.component.Kind;
import io.tiercel.core.component.Settings;
import io.tiercel.core.pdata.Logs;
import io.tiercel.core.pdata.OtlpData;
import io.tiercel.core.pdata.Traces;
import io.tiercel.kafka.common.encoding.EncodingRef;
import io.tiercel.kafka.common.encoding.RecordEncoding;
import io.tiercel.kafka.common.encoding.ext.JsonLogEncodingFactory;
import io.tiercel.kafka.common.encoding.ext.OtlpEncodingFactory;
import io.tiercel.kafka.common.encoding.ext.TextEncodingFactory;
import io.tiercel.kafka.common.encoding.ext.ZipkinEncodingFactory;
import io.tiercel.testing.TestData;
import io.tiercel.testing.component.TestHost;
import io.tiercel.testing.consumer.RecordingSink;
import io.tiercel.testing.kafka.KafkaBroker;
import io.tiercel.testing.kafka.KafkaBrokerTest;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import zipkin2.Endpoint;
import zipkin2.codec.SpanBytesEncoder;

/**
 * Encodings named through encoding extensions, on the real broker: each topic's records are written
 * in its format (Zipkin's own library for Zipkin), read by a receiver naming an extension id,
 * counted; a poison record of each format goes to the dead-letter topic.
 */
@KafkaBrokerTest
class EncodingsIT {
  static KafkaBroker broker;
  private ItSupport it;

  @BeforeEach
  void setUp() {
    it = new ItSupport(broker);
  }

  @AfterEach
  void tearDown() throws Exception {
    it.stopAll();
  }

  private static <C extends Record> Extension extension(ExtensionFactory<C> f, String id, C c) {
    return f.create(Settings.forTest(Kind.EXTENSION, ComponentId.parse(id), null), c);
  }

  private static List<zipkin2.Span> zipkinSpans(int record, int n) {
    return IntStream.range(0, n)
        .mapToObj(
            i ->
                zipkin2.Span.newBuilder()
                    .traceId(String.format("%016x", record + 1))
                    .id(String.format("%016x", record * 100 + i + 1))
                    .name("op-" + i)
                    .kind(zipkin2.Span.Kind.SERVER)
                    .timestamp(1_700_000_000_000_000L + i)
                    .duration(10)
                    .localEndpoint(Endpoint.newBuilder().serviceName("v1-json").build())
                    .build())
        .toList();
  }

  @Test
  void recordsReadThroughExtensionIdsArriveAndEachFormatsPoisonIsDeadLettered() throws Exception {
    String dlq = "ext-dlq";
    broker.createTopic(dlq, 1);
    Host host =
        TestHost.withExtensions(
            Map.of(
                ComponentId.parse("zipkin_encoding/v1"),
                extension(
                    new ZipkinEncodingFactory(),
                    "zipkin_encoding/v1",
                    new ZipkinEncodingFactory.Config(
                        ZipkinEncodingFactory.Protocol.ZIPKIN_JSON,
                        ZipkinEncodingFactory.Version.V1)),
                ComponentId.parse("otlp_encoding/json"),
                extension(
                    new OtlpEncodingFactory(),
                    "otlp_encoding/json",
                    new OtlpEncodingFactory.Config(OtlpEncodingFactory.Protocol.OTLP_JSON))));
    Map<String, String> topics = new LinkedHashMap<>();
    topics.put("ext-zipkin-v1", "zipkin_encoding/v1");
    topics.put("ext-otlp-json", "otlp_encoding/json");
    byte[] poison = "{\"not\": [json \u0000".getBytes(StandardCharsets.UTF_8);
    int expectedSpans = 0;
    for (String topic : topics.keySet()) {
      broker.createTopic(topic, 1);
      List<byte[]> values = new ArrayList<>();
      for (int r = 0; r < 4; r++) {
        values.add(
            topic.equals("ext-zipkin-v1")
                ? SpanBytesEncoder.JSON_V1.encodeList(zipkinSpans(r, 3))
                : RecordEncoding.OTLP_JSON.marshal(TestData.traces(1, 3, r)));
        expectedSpans += 3;
        if (r == 1) {
          values.add(poison);
        }
      }
      it.produce(topic, 0, values, Map.of());
    }

    RecordingSink<Traces> pipeline = RecordingSink.create();
    for (Map.Entry<String, String> t : topics.entrySet()) {
      ConfigBuilder b = it.config("g-" + t.getKey(), t.getKey(), "unused-m", "unused-l");
      b.traces =
          new SignalTopics(
              List.of(t.getKey()), null, List.of(), null, EncodingRef.parse(t.getValue()));
      b.deadLetter = new DeadLetter(dlq, Map.of());
      it.start(
          Settings.forTest(Kind.RECEIVER, new ComponentId("kafka", t.getKey()), null),
          b.build(),
          new Consumers(pipeline, null, null),
          host);
    }

    pipeline.awaitItems(expectedSpans, Duration.ofSeconds(60));
    for (String topic : topics.keySet()) {
      assertThat(
              ItSupport.eventually(
                  Duration.ofSeconds(15), () -> it.caughtUp("g-" + topic, topic, 1)))
          .as(topic + " caught up")
          .isTrue();
    }
    assertThat(pipeline.data().stream().mapToInt(OtlpData::itemCount).sum())
        .isEqualTo(expectedSpans)
        .isEqualTo(24);
    assertThat(
            pipeline.data().stream()
                .filter(
                    d ->
                        d.message()
                            .getResourceSpans(0)
                            .getResource()
                            .getAttributes(0)
                            .getValue()
                            .getStringValue()
                            .equals("v1-json"))
                .mapToInt(OtlpData::itemCount)
                .sum())
        .isEqualTo(12);

    Set<String> deadFrom = new HashSet<>();
    try (KafkaConsumer<byte[], byte[]> c =
        broker.consumer(Map.of("group.id", "ext-dlq-reader", "auto.offset.reset", "earliest"))) {
      c.subscribe(List.of(dlq));
      long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
      while (deadFrom.size() < topics.size() && System.nanoTime() < until) {
        for (ConsumerRecord<byte[], byte[]> rec : c.poll(Duration.ofMillis(200))) {
          assertThat(rec.value()).isEqualTo(poison);
          deadFrom.add(
              new String(
                  rec.headers().lastHeader("tiercel.dlq.topic").value(), StandardCharsets.UTF_8));
        }
      }
    }
    assertThat(deadFrom).isEqualTo(topics.keySet());
  }

  @Test
  void logRecordsInRawTextAndJsonArriveCountedAndEmptyRecordsAreCommitted() throws Exception {
    String dlq = "logs-dlq";
    broker.createTopic(dlq, 1);
    Host host =
        TestHost.withExtensions(
            Map.of(
                ComponentId.parse("text_encoding"),
                extension(
                    new TextEncodingFactory(),
                    "text_encoding",
                    new TextEncodingFactory().createDefaultConfig()),
                ComponentId.parse("json_log_encoding"),
                extension(
                    new JsonLogEncodingFactory(),
                    "json_log_encoding",
                    new JsonLogEncodingFactory().createDefaultConfig())));
    Charset sjis = Charset.forName("Shift_JIS");
    // topic -> encoding, values, log records they hold
    Map<String, String> encodings = new LinkedHashMap<>();
    Map<String, List<byte[]>> values = new LinkedHashMap<>();
    Map<String, Integer> expected = new LinkedHashMap<>();
    encodings.put("logs-raw", "raw");
    values.put("logs-raw", List.of(new byte[] {0, (byte) 0xff}, new byte[0], "a line".getBytes()));
    expected.put("logs-raw", 3);
    encodings.put("logs-sjis", "text_shift_jis");
    values.put("logs-sjis", List.of("こんにちは\nworld".getBytes(sjis), "二".getBytes(sjis)));
    expected.put("logs-sjis", 2);
    encodings.put("logs-json", "json");
    values.put(
        "logs-json",
        List.of(
            "{\"msg\":\"a\"}".getBytes(StandardCharsets.UTF_8),
            "[1]".getBytes(StandardCharsets.UTF_8),
            "{\"msg\":\"b\",\"n\":2}".getBytes(StandardCharsets.UTF_8)));
    expected.put("logs-json", 2);
    encodings.put("logs-lines", "text_encoding");
    values.put(
        "logs-lines",
        List.of("l1\nl2\r\nl3\n".getBytes(StandardCharsets.UTF_8), new byte[0], "l4".getBytes()));
    expected.put("logs-lines", 4);
    encodings.put("logs-array", "json_log_encoding");
    values.put(
        "logs-array",
        List.of(
            "[{\"a\":1},{\"a\":2}]".getBytes(StandardCharsets.UTF_8),
            "[]".getBytes(StandardCharsets.UTF_8),
            "{\"a\":3}".getBytes(StandardCharsets.UTF_8)));
    expected.put("logs-array", 2);
    for (String topic : encodings.keySet()) {
      broker.createTopic(topic, 1);
      it.produce(topic, 0, values.get(topic), Map.of());
    }

    RecordingSink<Logs> pipeline = RecordingSink.create();
    for (Map.Entry<String, String> t : encodings.entrySet()) {
      ConfigBuilder b = it.config("g-" + t.getKey(), "unused-t", "unused-m", t.getKey());
      b.logs =
          new SignalTopics(
              List.of(t.getKey()), null, List.of(), null, EncodingRef.parse(t.getValue()));
      b.deadLetter = new DeadLetter(dlq, Map.of());
      it.start(
          Settings.forTest(Kind.RECEIVER, new ComponentId("kafka", t.getKey()), null),
          b.build(),
          new Consumers(null, null, pipeline),
          host);
    }
    int total = expected.values().stream().mapToInt(n -> n).sum();
    pipeline.awaitItems(total, Duration.ofSeconds(60));
    for (String topic : encodings.keySet()) {
      assertThat(
              ItSupport.eventually(
                  Duration.ofSeconds(15), () -> it.caughtUp("g-" + topic, topic, 1)))
          .as(topic + " caught up (its empty and poison records committed too)")
          .isTrue();
    }
    assertThat(pipeline.data().stream().mapToInt(OtlpData::itemCount).sum())
        .isEqualTo(total)
        .isEqualTo(13);
    List<String> bodies =
        pipeline.data().stream()
            .flatMap(d -> d.message().getResourceLogsList().stream())
            .flatMap(r -> r.getScopeLogsList().stream())
            .flatMap(s -> s.getLogRecordsList().stream())
            .filter(r -> r.getBody().hasStringValue())
            .map(r -> r.getBody().getStringValue())
            .toList();
    assertThat(bodies).contains("こんにちは\nworld", "二", "l1", "l2", "l3", "l4").doesNotContain("");

    Set<String> deadFrom = new HashSet<>();
    try (KafkaConsumer<byte[], byte[]> c =
        broker.consumer(Map.of("group.id", "logs-dlq-reader", "auto.offset.reset", "earliest"))) {
      c.subscribe(List.of(dlq));
      long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
      while (deadFrom.size() < 2 && System.nanoTime() < until) {
        for (ConsumerRecord<byte[], byte[]> rec : c.poll(Duration.ofMillis(200))) {
          deadFrom.add(
              new String(
                  rec.headers().lastHeader("tiercel.dlq.topic").value(), StandardCharsets.UTF_8));
        }
      }
    }
    assertThat(deadFrom).containsExactlyInAnyOrder("logs-json", "logs-array");
  }
}
