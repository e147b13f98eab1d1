package io.tiercel.kafka.receiver;

import static org.assertj.core.api.Assertions.assertThat;

import io.tiercel.core.component.Consumers;
import io.tiercel.core.pdata.OtlpData;
import io.tiercel.core.pdata.Traces;
import io.tiercel.kafka.common.encoding.RecordEncoding;
import io.tiercel.testing.TestData;
import io.tiercel.testing.consumer.RecordingSink;
import io.tiercel.testing.kafka.KafkaBroker;
import io.tiercel.testing.kafka.KafkaBrokerTest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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
 * Zipkin JSON, Zipkin proto and OTLP records on their own topics, one receiver per topic, into one
 * pipeline: every span arrives, and a poison record of each format goes to the dead-letter topic.
 */
@KafkaBrokerTest
class ZipkinEncodingIT {
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

  private static List<zipkin2.Span> zipkinSpans(int record, int n) {
    return IntStream.range(0, n)
        .mapToObj(
            i ->
                zipkin2.Span.newBuilder()
                    .traceId(String.format("%016x", record + 1))
                    .id(String.format("%016x", record * 100 + i + 1))
                    .name("op-" + i)
                    .kind(zipkin2.Span.Kind.CLIENT)
                    .timestamp(1_700_000_000_000_000L + i)
                    .duration(10)
                    .localEndpoint(Endpoint.newBuilder().serviceName("legacy").build())
                    .build())
        .toList();
  }

  @Test
  void everyFormatsSpansArriveAndEachFormatsPoisonIsDeadLettered() throws Exception {
    String dlq = "zipkin-dlq";
    broker.createTopic(dlq, 1);
    Map<String, RecordEncoding> topics =
        Map.of(
            "zipkin-json", RecordEncoding.ZIPKIN_JSON,
            "zipkin-proto", RecordEncoding.ZIPKIN_PROTO,
            "otlp-spans", RecordEncoding.OTLP_PROTO);
    byte[] poison = "{\"not\": [zipkin \u0000".getBytes(StandardCharsets.UTF_8);
    int expectedSpans = 0;
    for (Map.Entry<String, RecordEncoding> t : topics.entrySet()) {
      broker.createTopic(t.getKey(), 1);
      List<byte[]> values = new java.util.ArrayList<>();
      for (int r = 0; r < 5; r++) {
        values.add(
            switch (t.getValue()) {
              case ZIPKIN_JSON -> SpanBytesEncoder.JSON_V2.encodeList(zipkinSpans(r, 3));
              case ZIPKIN_PROTO -> SpanBytesEncoder.PROTO3.encodeList(zipkinSpans(r, 3));
              default -> TestData.traces(1, 3, r).bytes();
            });
        expectedSpans += 3;
        if (r == 2) {
          values.add(poison);
        }
      }
      it.produce(t.getKey(), 0, values, Map.of());
    }

    RecordingSink<Traces> pipeline = RecordingSink.create();
    for (Map.Entry<String, RecordEncoding> t : topics.entrySet()) {
      ConfigBuilder b = it.config("g-" + t.getKey(), t.getKey(), "unused-m", "unused-l");
      b.traces = new SignalTopics(List.of(t.getKey()), List.of(), t.getValue());
      b.deadLetter = new DeadLetter(dlq, Map.of());
      it.start(t.getKey(), b.build(), new Consumers(pipeline, null, null));
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
        .isEqualTo(45);
    assertThat(pipeline.data())
        .filteredOn(
            d ->
                d.message()
                    .getResourceSpans(0)
                    .getResource()
                    .getAttributes(0)
                    .getValue()
                    .getStringValue()
                    .equals("legacy"))
        .hasSize(10);

    Map<String, String> deadTopics = new HashMap<>();
    try (KafkaConsumer<byte[], byte[]> c =
        broker.consumer(Map.of("group.id", "zipkin-dlq-reader", "auto.offset.reset", "earliest"))) {
      c.subscribe(List.of(dlq));
      long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
      while (deadTopics.size() < 3 && System.nanoTime() < until) {
        for (ConsumerRecord<byte[], byte[]> rec : c.poll(Duration.ofMillis(200))) {
          assertThat(rec.value()).isEqualTo(poison);
          String from =
              new String(
                  rec.headers().lastHeader("tiercel.dlq.topic").value(), StandardCharsets.UTF_8);
          String error =
              new String(
                  rec.headers().lastHeader("tiercel.dlq.error.message").value(),
                  StandardCharsets.UTF_8);
          deadTopics.put(from, error);
        }
      }
    }
    assertThat(deadTopics).containsOnlyKeys(topics.keySet());
    assertThat(deadTopics.get("zipkin-json")).startsWith("malformed zipkin_json traces: ");
    assertThat(deadTopics.get("zipkin-proto")).startsWith("malformed zipkin_proto traces: ");
    assertThat(deadTopics.get("otlp-spans")).startsWith("not an OTLP traces request: ");
  }
}
