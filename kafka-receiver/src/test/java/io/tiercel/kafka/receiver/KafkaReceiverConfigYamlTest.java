package io.tiercel.kafka.receiver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tiercel.core.config.ConfigBinder;
import io.tiercel.core.config.ConfigException;
import io.tiercel.core.config.Secret;
import io.tiercel.core.pdata.Signal;
import io.tiercel.kafka.common.config.SecurityProtocol;
import io.tiercel.kafka.common.encoding.RecordEncoding;
import java.io.InputStream;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.yaml.snakeyaml.Yaml;

/**
 * The config as the collector's loader binds it: testdata/config.yaml and every case of
 * invalid_configs.yaml.
 */
class KafkaReceiverConfigYamlTest {
  private static Object load(String name) {
    try (InputStream in =
        KafkaReceiverConfigYamlTest.class.getResourceAsStream("/testdata/" + name)) {
      return new Yaml().load(in);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static KafkaReceiverConfig bind(Object yaml) throws ConfigException {
    return ConfigBinder.bind(
        KafkaReceiverConfig.class, KafkaReceiverConfig.DEFAULT, yaml, "receivers.kafka");
  }

  @Test
  void readsZipkinTracesAndRotelsEncodingNames() throws ConfigException {
    KafkaReceiverConfig c =
        bind(
            java.util.Map.of(
                "traces", java.util.Map.of("encoding", "zipkin_thrift"),
                "metrics", java.util.Map.of("encoding", "json"),
                "logs", java.util.Map.of("encoding", "protobuf")));
    assertThat(c.encodings())
        .containsExactly(
            java.util.Map.entry(
                Signal.TRACES,
                io.tiercel.kafka.common.encoding.EncodingRef.of(RecordEncoding.ZIPKIN_THRIFT)),
            java.util.Map.entry(
                Signal.METRICS,
                // Rotel's json: OTLP JSON for metrics (for logs the collector's JSON body)
                io.tiercel.kafka.common.encoding.EncodingRef.of(RecordEncoding.JSON)),
            java.util.Map.entry(
                Signal.LOGS,
                io.tiercel.kafka.common.encoding.EncodingRef.of(RecordEncoding.OTLP_PROTO)),
            java.util.Map.entry(
                Signal.PROFILES,
                io.tiercel.kafka.common.encoding.EncodingRef.of(RecordEncoding.OTLP_PROTO)));
  }

  @Test
  void bindsEveryKey() throws ConfigException {
    KafkaReceiverConfig c = bind(load("config.yaml"));
    assertThat(c.brokers()).containsExactly("kafka-1:9092", "kafka-2:9092");
    assertThat(c.client().securityProtocol()).isEqualTo(SecurityProtocol.SASL_PLAINTEXT);
    assertThat(c.auth().sasl().password()).isEqualTo(Secret.of("s3cret"));
    assertThat(c.groupId()).isEqualTo("tiercel-processing");
    assertThat(c.groupInstanceId()).isEqualTo("processing-0");
    assertThat(c.initialOffset()).isEqualTo(InitialOffset.EARLIEST);
    assertThat(c.sessionTimeout()).isEqualTo(Duration.ofSeconds(30));
    assertThat(c.groupRebalanceStrategies())
        .containsExactly(RebalanceStrategy.COOPERATIVE_STICKY, RebalanceStrategy.RANGE);
    assertThat(c.maxFetchWait()).isEqualTo(Duration.ofMillis(500));
    assertThat(c.autocommit()).isEqualTo(new AutoCommit(true, Duration.ofSeconds(2)));
    assertThat(c.telemetry().recordsDelay()).isTrue();
    assertThat(c.headerExtraction()).isEqualTo(new HeaderExtraction(true, List.of("tenant")));
    assertThat(c.errorBackoff().initialInterval()).isEqualTo(Duration.ofMillis(100));
    assertThat(c.errorBackoff().maxElapsedTime()).isEqualTo(Duration.ofMinutes(2));
    assertThat(c.traces().topics()).containsExactly("otlp_spans", "^spans-.*");
    assertThat(c.traces().excludeTopics()).containsExactly("^spans-test.*");
    assertThat(c.encodings())
        .containsEntry(
            Signal.METRICS,
            io.tiercel.kafka.common.encoding.EncodingRef.of(RecordEncoding.OTLP_JSON))
        .containsEntry(
            Signal.LOGS,
            io.tiercel.kafka.common.encoding.EncodingRef.of(RecordEncoding.OTLP_PROTO));
    assertThat(c.maxInFlight()).isEqualTo(new MaxInFlight(100_000, 256L << 20));
    assertThat(c.deadLetter().topic()).isEqualTo("otlp_dead_letter");
    assertThat(c.deadLetter().producerConfig()).containsEntry("compression.type", "zstd");
    assertThat(c.revokeTimeout()).isEqualTo(Duration.ofSeconds(10));
    Map<String, Object> p = ConsumerProperties.of(c, c.client().properties());
    assertThat(p)
        .containsEntry("max.poll.records", "2000")
        .containsEntry("isolation.level", "read_committed")
        .containsEntry("group.instance.id", "processing-0")
        .containsEntry("auto.offset.reset", "earliest")
        .containsEntry("fetch.max.bytes", 52_428_800)
        .containsEntry("fetch.min.bytes", 1024);
    assertThat(ConfigBinder.toTree(c).toString()).doesNotContain("s3cret");
  }

  @Test
  void rackIdIsTheClientRack() throws ConfigException {
    KafkaReceiverConfig c = bind(Map.of("rack_id", "eu-west-1a", "use_leader_epoch", true));
    assertThat(c.rackId()).isEqualTo("eu-west-1a");
    assertThat(ConsumerProperties.of(c, c.client().properties()))
        .containsEntry("client.rack", "eu-west-1a");
    assertThat(ConsumerProperties.of(KafkaReceiverConfig.DEFAULT, Map.of()))
        .doesNotContainKey("client.rack");
    assertThatThrownBy(
            () -> bind(Map.of("rack_id", "a", "consumer_config", Map.of("client.rack", "b"))))
        .hasMessageContaining("consumer_config.client.rack");
  }

  @Test
  void deprecatedSingularTopicKeysAreOneEntryLists() throws ConfigException {
    KafkaReceiverConfig c =
        bind(
            Map.of(
                "logs", Map.of("topic", "app_logs"),
                "traces", Map.of("topic", "^spans-.*", "exclude_topic", "^spans-test")));
    assertThat(c.logs().topics()).containsExactly("app_logs");
    assertThat(c.logs().topic()).isNull();
    assertThat(c.traces().topics()).containsExactly("^spans-.*");
    assertThat(c.traces().excludeTopics()).containsExactly("^spans-test");
    assertThat(c.traces().excludeTopic()).isNull();
    assertThat(c.metrics().topics()).containsExactly("otlp_metrics");
    // what is written back binds to the same config
    assertThat(bind(ConfigBinder.toTree(c))).isEqualTo(c);
  }

  @Test
  void profilesAndPartitionProcessingAreAccepted() throws ConfigException {
    assertThat(KafkaReceiverConfig.DEFAULT.profiles().topics()).containsExactly("otlp_profiles");
    KafkaReceiverConfig c =
        bind(
            Map.of(
                "profiles",
                Map.of("topics", List.of("profiles_in"), "encoding", "otlp_json"),
                "partition_processing",
                Map.of("independent", true, "max_buffered_batches", 4)));
    assertThat(c.profiles().topics()).containsExactly("profiles_in");
    assertThat(c.partitionProcessing()).isEqualTo(new PartitionProcessing(true, 4));
    assertThat(KafkaReceiverConfig.DEFAULT.partitionProcessing())
        .isEqualTo(new PartitionProcessing(false, 1));
  }

  @Test
  void emptyYamlIsTheDefault() throws ConfigException {
    assertThat(bind(Map.of())).isEqualTo(KafkaReceiverConfig.DEFAULT);
    assertThat(bind(null)).isEqualTo(KafkaReceiverConfig.DEFAULT);
  }

  @TestFactory
  Stream<DynamicTest> invalidConfigs() {
    @SuppressWarnings("unchecked")
    Map<String, Map<String, Object>> cases =
        (Map<String, Map<String, Object>>) load("invalid_configs.yaml");
    assertThat(cases).hasSizeGreaterThanOrEqualTo(15);
    return cases.entrySet().stream()
        .map(
            e ->
                DynamicTest.dynamicTest(
                    e.getKey(),
                    () ->
                        assertThatThrownBy(() -> bind(e.getValue().get("config")))
                            .isInstanceOf(ConfigException.class)
                            .hasMessage((String) e.getValue().get("error"))));
  }
}
