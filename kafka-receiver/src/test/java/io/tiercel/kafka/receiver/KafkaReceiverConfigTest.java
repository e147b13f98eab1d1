package io.tiercel.kafka.receiver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tiercel.core.config.InvalidValueException;
import io.tiercel.core.exporterhelper.RetryConfig;
import io.tiercel.core.pdata.Signal;
import io.tiercel.kafka.common.encoding.RecordEncoding;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class KafkaReceiverConfigTest {
  private static KafkaReceiverConfig with(UnaryOperator<ConfigBuilder> change) {
    return change.apply(new ConfigBuilder()).build();
  }

  @Test
  void defaultsAreTheCollectorsWithTiercelsAtLeastOnce() {
    KafkaReceiverConfig c = KafkaReceiverConfig.DEFAULT;
    assertThat(c).isEqualTo(new ConfigBuilder().build());
    assertThat(c.groupId()).isEqualTo("tiercel");
    assertThat(c.initialOffset()).isEqualTo(InitialOffset.LATEST);
    assertThat(c.messageMarking()).isEqualTo(new MessageMarking(true, false, true));
    assertThat(c.encodings())
        .containsExactly(
            Map.entry(
                Signal.TRACES,
                io.tiercel.kafka.common.encoding.EncodingRef.of(RecordEncoding.OTLP_PROTO)),
            Map.entry(
                Signal.METRICS,
                io.tiercel.kafka.common.encoding.EncodingRef.of(RecordEncoding.OTLP_PROTO)),
            Map.entry(
                Signal.LOGS,
                io.tiercel.kafka.common.encoding.EncodingRef.of(RecordEncoding.OTLP_PROTO)),
            Map.entry(
                Signal.PROFILES,
                io.tiercel.kafka.common.encoding.EncodingRef.of(RecordEncoding.OTLP_PROTO)));
    assertThat(c.traces().topics()).containsExactly("otlp_spans");
    assertThat(c.metrics().topics()).containsExactly("otlp_metrics");
    assertThat(c.logs().topics()).containsExactly("otlp_logs");
    assertThat(c.maxInFlight()).isEqualTo(new MaxInFlight(5000, 16L << 20));
    assertThat(c.deadLetter().enabled()).isFalse();
    assertThat(c.autocommit()).isEqualTo(new AutoCommit(true, Duration.ofSeconds(1)));
  }

  private static Map<String, Object> consumerProperties(KafkaReceiverConfig c) {
    return ConsumerProperties.of(c, c.client().properties());
  }

  @Test
  void consumerPropertiesNeverUseKafkaAutoCommitAndAddPassthrough() {
    Map<String, Object> p =
        consumerProperties(
            with(
                b -> {
                  b.consumerConfig =
                      Map.of("max.poll.records", 100, "isolation.level", "read_committed");
                  b.strategies = List.of(RebalanceStrategy.RANGE, RebalanceStrategy.STICKY);
                  return b;
                }));
    assertThat(p)
        .containsEntry("enable.auto.commit", false)
        .containsEntry("group.id", "tiercel")
        .containsEntry("auto.offset.reset", "latest")
        .containsEntry("session.timeout.ms", 10_000)
        .containsEntry("heartbeat.interval.ms", 3_000)
        .containsEntry("fetch.max.wait.ms", 250)
        .containsEntry("max.partition.fetch.bytes", 1 << 20)
        .containsEntry("max.poll.records", "100")
        .containsEntry("isolation.level", "read_committed")
        .containsEntry("fetch.min.bytes", 1)
        .containsEntry("bootstrap.servers", "localhost:9092")
        .containsEntry(
            "partition.assignment.strategy",
            "org.apache.kafka.clients.consumer.RangeAssignor,"
                + "org.apache.kafka.clients.consumer.StickyAssignor")
        .containsEntry(
            "key.deserializer", "org.apache.kafka.common.serialization.ByteArrayDeserializer")
        .doesNotContainKey("fetch.max.bytes")
        .doesNotContainKey("group.instance.id");
  }

  @Test
  void deprecatedSingleStrategyWinsAndTheNewGroupProtocolDropsClientAssignors() {
    assertThat(
            consumerProperties(
                with(
                    b -> {
                      b.strategy = RebalanceStrategy.ROUNDROBIN;
                      return b;
                    })))
        .containsEntry(
            "partition.assignment.strategy",
            "org.apache.kafka.clients.consumer.RoundRobinAssignor");
    assertThat(
            consumerProperties(
                with(
                    b -> {
                      b.consumerConfig = Map.of("group.protocol", "consumer");
                      return b;
                    })))
        .containsEntry("group.protocol", "consumer")
        .doesNotContainKeys(
            "partition.assignment.strategy", "session.timeout.ms", "heartbeat.interval.ms");
  }

  @Test
  void ownedConsumerPropertiesAreTheDerivedOnes() {
    for (KafkaReceiverConfig c :
        List.of(
            KafkaReceiverConfig.DEFAULT,
            with(
                b -> {
                  b.groupInstanceId = "member-1";
                  b.maxFetch = 1 << 20;
                  return b;
                }))) {
      Map<String, Object> p = new java.util.HashMap<>(consumerProperties(c));
      p.keySet()
          .removeAll(
              List.of(
                  "bootstrap.servers",
                  "key.deserializer",
                  "value.deserializer",
                  "enable.auto.commit"));
      assertThat(
              ConsumerProperties.owned(
                      c.client(), c.groupInstanceId(), c.rackId(), c.maxFetchSize())
                  .keySet())
          .isEqualTo(p.keySet());
    }
  }

  @Test
  void topicsRouteBySignalWithRegexAndExclusions() {
    SignalTopics s =
        new SignalTopics(List.of("^spans-.*", "extra"), List.of("^spans-internal.*"), null);
    assertThat(s.encoding())
        .isEqualTo(io.tiercel.kafka.common.encoding.EncodingRef.of(RecordEncoding.OTLP_PROTO));
    assertThat(s.matches("spans-a")).isTrue();
    assertThat(s.matches("extra")).isTrue();
    assertThat(s.matches("spans-internal-1")).isFalse();
    assertThat(s.matches("other")).isFalse();
    KafkaReceiverConfig c =
        with(
            b -> {
              b.traces = s;
              return b;
            });
    var p = TopicRouter.subscriptionPattern(c, EnumSet.of(Signal.TRACES, Signal.LOGS));
    assertThat(p.matcher("spans-a").matches()).isTrue();
    assertThat(p.matcher("extra").matches()).isTrue();
    assertThat(p.matcher("otlp_logs").matches()).isTrue();
    assertThat(p.matcher("spans-internal-1").matches()).isFalse();
    assertThat(p.matcher("otlp_metrics").matches()).isFalse();
    assertThat(p.matcher("extraX").matches()).isFalse();
  }

  static Stream<Arguments> invalid() {
    return Stream.of(
        bad(
            "no brokers",
            b -> b.brokers = List.of(),
            "brokers",
            "must list at least one broker (host:port)"),
        bad(
            "broker without port",
            b -> b.brokers = List.of("kafka"),
            "brokers[0]",
            "\"kafka\" is not host:port"),
        bad("empty group", b -> b.groupId = " ", "group_id", "must not be empty"),
        bad(
            "zero session timeout",
            b -> b.sessionTimeout = Duration.ZERO,
            "session_timeout",
            "must be positive, got PT0S"),
        bad(
            "heartbeat not below session",
            b -> b.heartbeatInterval = Duration.ofSeconds(10),
            "heartbeat_interval",
            "must be less than session_timeout (PT10S), got PT10S"),
        bad(
            "no strategies",
            b -> b.strategies = List.of(),
            "group_rebalance_strategies",
            "must list at least one strategy"),
        bad(
            "negative min fetch",
            b -> b.minFetch = -1,
            "min_fetch_size",
            "must not be negative, got -1"),
        bad(
            "negative max fetch",
            b -> b.maxFetch = -1,
            "max_fetch_size",
            "must not be negative, got -1"),
        bad(
            "zero partition fetch",
            b -> b.maxPartitionFetch = 0,
            "max_partition_fetch_size",
            "must be at least 1, got 0"),
        bad(
            "negative fetch wait",
            b -> b.maxFetchWait = Duration.ofMillis(-1),
            "max_fetch_wait",
            "must not be negative, got PT-0.001S"),
        bad(
            "negative revoke timeout",
            b -> b.revokeTimeout = Duration.ofSeconds(-1),
            "revoke_timeout",
            "must not be negative, got PT-1S"),
        bad(
            "topic read by two signals",
            b -> b.logs = SignalTopics.of("otlp_spans"),
            "logs.topics[0]",
            "topic \"otlp_spans\" is also read as traces; a topic holds one signal"),
        bad(
            "dead letter topic consumed",
            b -> b.deadLetter = new DeadLetter("otlp_metrics", null),
            "dead_letter.topic",
            "\"otlp_metrics\" is read as metrics; the dead-letter topic must not be one the "
                + "receiver consumes"),
        bad(
            "dead letter topic matched by a regex",
            b -> {
              b.traces = new SignalTopics(List.of("^otlp_.*"), null, null);
              b.metrics = SignalTopics.of("m");
              b.logs = SignalTopics.of("l");
              b.deadLetter = new DeadLetter("otlp_dlq", null);
            },
            "dead_letter.topic",
            "\"otlp_dlq\" is read as traces; the dead-letter topic must not be one the "
                + "receiver consumes"),
        bad(
            "unknown consumer property",
            b -> b.consumerConfig = Map.of("max.poll.recordz", 1),
            "consumer_config.max.poll.recordz",
            "\"max.poll.recordz\" is not a Kafka consumer config"),
        bad(
            "reserved consumer property",
            b -> b.consumerConfig = Map.of("value.deserializer", "x"),
            "consumer_config.value.deserializer",
            "is set by Tiercel and cannot be overridden"),
        bad(
            "consumer property a first-class key sets",
            b -> b.consumerConfig = Map.of("fetch.min.bytes", 7),
            "consumer_config.fetch.min.bytes",
            "conflicts with min_fetch_size; set one of them"),
        bad(
            "group id twice",
            b -> b.consumerConfig = Map.of("group.id", "other"),
            "consumer_config.group.id",
            "conflicts with group_id; set one of them"),
        bad(
            "dead-letter producer property a client key sets",
            b -> b.deadLetter = new DeadLetter("dlq", Map.of("client.id", "x")),
            "dead_letter.producer_config.client.id",
            "conflicts with client_id; set one of them"),
        bad(
            "kafka auto commit",
            b -> b.consumerConfig = Map.of("enable.auto.commit", true),
            "consumer_config.enable.auto.commit",
            "is set by Tiercel (offsets are committed only for finished records); use autocommit"),
        bad(
            "bad backoff",
            b ->
                b.backoff =
                    new RetryConfig(
                        true,
                        Duration.ofSeconds(2),
                        0.5,
                        1.5,
                        Duration.ofSeconds(1),
                        Duration.ZERO),
            "max_interval",
            "must not be less than initial_interval (PT2S), got PT1S"));
  }

  private static Arguments bad(
      String name, java.util.function.Consumer<ConfigBuilder> change, String key, String message) {
    return Arguments.of(Named.of(name, change), key, message);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("invalid")
  void rejects(java.util.function.Consumer<ConfigBuilder> change, String key, String message) {
    assertThatThrownBy(
            () -> {
              ConfigBuilder b = new ConfigBuilder();
              change.accept(b);
              b.build();
            })
        .isInstanceOfSatisfying(
            InvalidValueException.class,
            e -> {
              assertThat(e.key()).isEqualTo(key);
              assertThat(e.getMessage()).isEqualTo(message);
            });
  }

  static Stream<Arguments> invalidSignal() {
    return Stream.of(
        Arguments.of(
            Named.of("no topics", List.of()), List.of(), "topics", "must list at least one topic"),
        Arguments.of(
            Named.of("blank topic", List.of(" ")), List.of(), "topics[0]", "must not be empty"),
        Arguments.of(
            Named.of("bad regex", List.of("^a(")),
            List.of(),
            "topics[0]",
            "\"^a(\" is not a valid regular expression: Unclosed group"),
        Arguments.of(
            Named.of("exclude without regex", List.of("a")),
            List.of("b"),
            "exclude_topics",
            "is only allowed when a topics entry is a regular expression (starts with '^')"),
        Arguments.of(
            Named.of("empty exclude", List.of("^a.*")),
            List.of(""),
            "exclude_topics[0]",
            "must not be empty (it would match every topic)"),
        Arguments.of(
            Named.of("bad exclude", List.of("^a.*")),
            List.of("[x"),
            "exclude_topics[0]",
            "\"[x\" is not a valid regular expression: Unclosed character class"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("invalidSignal")
  void rejectsSignal(List<String> topics, List<String> exclude, String key, String message) {
    assertThatThrownBy(() -> new SignalTopics(topics, exclude, RecordEncoding.OTLP_JSON))
        .isInstanceOfSatisfying(
            InvalidValueException.class,
            e -> {
              assertThat(e.key()).isEqualTo(key);
              assertThat(e.getMessage()).isEqualTo(message);
            });
  }

  @Test
  void nestedBlocksCheckThemselves() {
    assertThatThrownBy(() -> new MaxInFlight(0, 1))
        .isInstanceOfSatisfying(
            InvalidValueException.class,
            e ->
                assertThat(e.key() + ": " + e.getMessage())
                    .isEqualTo("records: must be at least 1, got 0"));
    assertThatThrownBy(() -> new MaxInFlight(1, 0))
        .isInstanceOfSatisfying(
            InvalidValueException.class,
            e ->
                assertThat(e.key() + ": " + e.getMessage())
                    .isEqualTo("bytes: must be at least 1, got 0"));
    assertThatThrownBy(() -> new AutoCommit(true, Duration.ZERO))
        .isInstanceOfSatisfying(
            InvalidValueException.class,
            e ->
                assertThat(e.key() + ": " + e.getMessage())
                    .isEqualTo("interval: must be positive, got PT0S"));
    assertThatThrownBy(() -> new DeadLetter("dlq", Map.of("acks", "all", "linger.mz", 5)))
        .isInstanceOfSatisfying(
            InvalidValueException.class,
            e ->
                assertThat(e.key() + ": " + e.getMessage())
                    .isEqualTo(
                        "producer_config.linger.mz: \"linger.mz\" is not a Kafka producer config"));
    assertThat(new DeadLetter(" dlq ", Map.of("acks", "all")).producerConfig())
        .containsEntry("acks", "all");
    assertThat(new HeaderExtraction(true, null).active()).isFalse();
    assertThat(new HeaderExtraction(true, List.of("tenant")).active()).isTrue();
  }
}
