package io.tiercel.kafka.exporter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tiercel.core.config.InvalidValueException;
import io.tiercel.core.config.Secret;
import io.tiercel.core.exporterhelper.QueueConfig;
import io.tiercel.core.exporterhelper.RetryConfig;
import io.tiercel.core.pdata.Signal;
import io.tiercel.kafka.common.config.AuthConfig;
import io.tiercel.kafka.common.config.MetadataConfig;
import io.tiercel.kafka.common.config.SaslConfig;
import io.tiercel.kafka.common.config.SaslMechanism;
import io.tiercel.kafka.common.config.SecurityProtocol;
import io.tiercel.kafka.common.config.TlsConfig;
import io.tiercel.kafka.common.encoding.RecordEncoding;
import io.tiercel.kafka.common.partition.PartitionerType;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

class KafkaExporterConfigTest {
  private static final KafkaExporterConfig D = KafkaExporterConfig.defaults();

  /**
   * A copy of the defaults with some components replaced (by YAML key), as the binder lays YAML
   * over them.
   */
  static KafkaExporterConfig with(Map<String, Object> changes) {
    var comps = KafkaExporterConfig.class.getRecordComponents();
    Object[] args = new Object[comps.length];
    Class<?>[] types = new Class<?>[comps.length];
    for (int i = 0; i < comps.length; i++) {
      types[i] = comps[i].getType();
      String key =
          comps[i].getName().replaceAll("([A-Z])", "_$1").toLowerCase(java.util.Locale.ROOT);
      try {
        args[i] = changes.containsKey(key) ? changes.get(key) : comps[i].getAccessor().invoke(D);
      } catch (ReflectiveOperationException e) {
        throw new AssertionError(e);
      }
    }
    try {
      return KafkaExporterConfig.class.getDeclaredConstructor(types).newInstance(args);
    } catch (java.lang.reflect.InvocationTargetException e) {
      throw (RuntimeException) e.getCause();
    } catch (ReflectiveOperationException e) {
      throw new AssertionError(e);
    }
  }

  static ProducerSettings producer(Acks acks, ProducerCompression c, int level) {
    ProducerSettings d = ProducerSettings.DEFAULT;
    return new ProducerSettings(
        d.maxMessageBytes(),
        d.maxBrokerWriteBytes(),
        acks,
        c,
        new ProducerSettings.CompressionParams(level),
        d.flushMaxMessages(),
        d.batchSize(),
        true,
        d.linger(),
        null,
        null,
        null,
        null,
        null,
        null);
  }

  @Test
  void defaults() {
    assertThat(new KafkaExporterFactory().createDefaultConfig()).isEqualTo(D);
    assertThat(D.brokers()).containsExactly("localhost:9092");
    assertThat(D.clientId()).isEqualTo("tiercel");
    assertThat(D.topicFor(Signal.TRACES)).isEqualTo("otlp_spans");
    assertThat(D.topicFor(Signal.METRICS)).isEqualTo("otlp_metrics");
    assertThat(D.topicFor(Signal.LOGS)).isEqualTo("otlp_logs");
    for (Signal s : Signal.values()) {
      assertThat(D.encodingFor(s))
          .isEqualTo(io.tiercel.kafka.common.encoding.EncodingRef.of(RecordEncoding.OTLP_PROTO));
      assertThat(D.keyBy(s)).isEqualTo(WireSplitter.KeyBy.NONE);
    }
    assertThat(D.partitioner()).isEqualTo(PartitionerType.SARAMA_COMPAT);
    assertThat(D.timeout()).isEqualTo(Duration.ofSeconds(5));
    assertThat(D.retryOnFailure()).isEqualTo(RetryConfig.DEFAULT);
    assertThat(D.sendingQueue()).isEqualTo(QueueConfig.DEFAULT);
    assertThat(D.producer().maxMessageBytes()).isEqualTo(1_000_000);
    assertThat(D.producer().requiredAcks()).isEqualTo(Acks.ONE);
    assertThat(D.producer().compression()).isEqualTo(ProducerCompression.NONE);
    assertThat(D.producer().linger()).isEqualTo(Duration.ofMillis(10));
    assertThat(D.client().securityProtocol()).isEqualTo(SecurityProtocol.PLAINTEXT);
    assertThat(D.metadata()).isEqualTo(MetadataConfig.DEFAULT);
  }

  @Test
  void perSignalSettingsAndDeprecatedTopLevelFallbacks() {
    KafkaExporterConfig c =
        with(
            Map.of(
                "topic",
                "all_signals",
                "encoding",
                io.tiercel.kafka.common.encoding.EncodingRef.of(RecordEncoding.OTLP_JSON),
                "traces",
                new SignalDestination(
                    "spans_here",
                    io.tiercel.kafka.common.encoding.EncodingRef.of(RecordEncoding.OTLP_PROTO),
                    null,
                    null)));
    assertThat(c.topicFor(Signal.TRACES)).isEqualTo("spans_here");
    assertThat(c.topicFor(Signal.LOGS)).isEqualTo("all_signals");
    assertThat(c.encodingFor(Signal.TRACES))
        .isEqualTo(io.tiercel.kafka.common.encoding.EncodingRef.of(RecordEncoding.OTLP_PROTO));
    assertThat(c.encodingFor(Signal.METRICS))
        .isEqualTo(io.tiercel.kafka.common.encoding.EncodingRef.of(RecordEncoding.OTLP_JSON));
  }

  @Test
  void partitionOptionsPickTheSplit() {
    KafkaExporterConfig c =
        with(
            Map.of(
                "partition_traces_by_id",
                true,
                "partition_metrics_by_resource_attributes",
                true,
                "partition_logs_by_trace_id",
                true));
    assertThat(c.keyBy(Signal.TRACES)).isEqualTo(WireSplitter.KeyBy.TRACE_ID);
    assertThat(c.keyBy(Signal.METRICS)).isEqualTo(WireSplitter.KeyBy.RESOURCE);
    assertThat(c.keyBy(Signal.LOGS)).isEqualTo(WireSplitter.KeyBy.TRACE_ID);
    assertThat(with(Map.of("partition_logs_by_resource_attributes", true)).keyBy(Signal.LOGS))
        .isEqualTo(WireSplitter.KeyBy.RESOURCE);
  }

  @Test
  void everyCompressionWithItsLevels() {
    for (ProducerCompression c : ProducerCompression.values()) {
      assertThat(producer(Acks.ONE, c, -1).compression()).isEqualTo(c);
    }
    assertThat(producer(Acks.ONE, ProducerCompression.GZIP, 9).compressionParams().level())
        .isEqualTo(9);
    assertThat(producer(Acks.ONE, ProducerCompression.ZSTD, 11).compressionParams().level())
        .isEqualTo(11);
    assertThat(producer(Acks.ONE, ProducerCompression.LZ4, 1).compressionParams().level())
        .isEqualTo(1);
  }

  @Test
  void securityIsDerivedFromAuthAndTls() {
    SaslConfig sasl = new SaslConfig("u", Secret.of("secret-pw"), SaslMechanism.SCRAM_SHA_512, 1);
    KafkaExporterConfig c =
        with(Map.of("auth", new AuthConfig(sasl, null), "tls", TlsConfig.enabled()));
    assertThat(c.client().securityProtocol()).isEqualTo(SecurityProtocol.SASL_SSL);
    assertThat(c.toString()).doesNotContain("secret-pw");
  }

  /** Every bad value, with the key the binder reports and the exact message. */
  @Test
  void invalidConfigs() {
    assertInvalid(
        () -> with(Map.of("brokers", List.of())),
        "brokers",
        "must list at least one broker (host:port)");
    assertInvalid(
        () -> with(Map.of("brokers", List.of("localhost"))),
        "brokers[0]",
        "\"localhost\" is not host:port");
    assertInvalid(() -> with(Map.of("client_id", "")), "client_id", "must not be empty");
    assertInvalid(
        () -> producer(Acks.ONE, ProducerCompression.GZIP, 10),
        "compression_params.level",
        "level 10 is not valid for gzip: use 1..9 or -1");
    assertInvalid(
        () -> producer(Acks.ONE, ProducerCompression.SNAPPY, 3),
        "compression_params.level",
        "level 3 is not valid for snappy: use -1 (snappy has no levels)");
    assertInvalid(
        () ->
            new ProducerSettings(
                0,
                1,
                Acks.ONE,
                null,
                null,
                0,
                0,
                true,
                Duration.ZERO,
                null,
                null,
                null,
                null,
                null,
                null),
        "max_message_bytes",
        "must be positive, got 0");
    assertInvalid(
        () ->
            new ProducerSettings(
                2_000_000,
                1_000_000,
                Acks.ONE,
                null,
                null,
                0,
                0,
                true,
                Duration.ZERO,
                null,
                null,
                null,
                null,
                null,
                null),
        "max_broker_write_bytes",
        "must be at least max_message_bytes (2000000), got 1000000");
    assertInvalid(
        () ->
            new ProducerSettings(
                10,
                10,
                Acks.ONE,
                null,
                null,
                0,
                0,
                true,
                Duration.ofMillis(-1),
                null,
                null,
                null,
                null,
                null,
                null),
        "linger",
        "must not be negative, got PT-0.001S");
    assertInvalid(
        () ->
            with(
                Map.of(
                    "partition_logs_by_resource_attributes",
                    true,
                    "partition_logs_by_trace_id",
                    true)),
        "partition_logs_by_trace_id",
        "partition_logs_by_resource_attributes and partition_logs_by_trace_id cannot both be true");
    assertInvalid(
        () ->
            with(
                Map.of(
                    "partition_traces_by_id",
                    true,
                    "traces",
                    new SignalDestination(null, null, null, "tenant"))),
        "traces.message_key_from_metadata_key",
        "cannot be used with partition_traces_by_id");
    assertInvalid(
        () -> with(Map.of("logs", new SignalDestination("bad topic", null, null, null))),
        "logs.topic",
        "\"bad topic\" is not a valid Kafka topic name (1-249 of a-z A-Z 0-9 . _ -)");
    assertInvalid(
        () -> with(Map.of("timeout", Duration.ZERO)), "timeout", "must be positive, got PT0S");
    assertInvalid(
        () -> with(Map.of("record_headers", Map.of("", "v"))),
        "record_headers",
        "header names must not be empty");
    assertInvalid(
        () -> with(Map.of("producer_config", Map.of("lingerr.ms", 5))),
        "producer_config.lingerr.ms",
        "\"lingerr.ms\" is not a Kafka producer config");
  }

  private static void assertInvalid(ThrowingCallable c, String key, String msg) {
    assertThatThrownBy(c)
        .isInstanceOfSatisfying(
            InvalidValueException.class,
            e -> {
              assertThat(e.key()).isEqualTo(key);
              assertThat(e.getMessage()).isEqualTo(msg);
            });
  }

  @Test
  void producerPropertiesFollowTheConfig() {
    KafkaExporterConfig c =
        with(
            Map.of(
                "producer",
                producer(Acks.ALL, ProducerCompression.ZSTD, 6),
                "producer_config",
                Map.of("buffer.memory", 67108864, "ssl.cipher.suites", List.of("A", "B")),
                "timeout",
                Duration.ofSeconds(10)));
    Map<String, Object> p = ProducerProperties.of(c, c.client());
    assertThat(p)
        .containsEntry("acks", "all")
        .containsEntry("compression.type", "zstd")
        .containsEntry("compression.zstd.level", 6)
        .doesNotContainKey("enable.idempotence")
        .containsEntry("max.block.ms", 10_000L)
        .containsEntry("request.timeout.ms", 9_990)
        .containsEntry("delivery.timeout.ms", 10_000)
        .containsEntry("batch.size", 1_048_576)
        .containsEntry("max.request.size", 104_857_600)
        .containsEntry("bootstrap.servers", "localhost:9092")
        .containsEntry(
            "key.serializer", "org.apache.kafka.common.serialization.ByteArraySerializer")
        .containsEntry("buffer.memory", "67108864")
        .containsEntry("ssl.cipher.suites", "A,B")
        .containsEntry("linger.ms", 10L);
    Map<String, Object> one = ProducerProperties.of(D, D.client());
    assertThat(one)
        .containsEntry("acks", "1")
        .containsEntry("enable.idempotence", "false")
        .containsEntry("linger.ms", 10L)
        .containsEntry("compression.type", "none")
        .containsEntry("request.timeout.ms", 4_990)
        .containsEntry("delivery.timeout.ms", 5_000);
    // the producer accepts what we derive
    new org.apache.kafka.clients.producer.ProducerConfig(one);
    new org.apache.kafka.clients.producer.ProducerConfig(p);
  }

  @Test
  void producerConfigMustNotSetWhatAFirstClassKeySets() {
    Map<String, String> twins = new java.util.LinkedHashMap<>();
    twins.put("compression.type", "producer.compression");
    twins.put("acks", "producer.required_acks");
    twins.put("max.request.size", "producer.max_broker_write_bytes");
    twins.put("linger.ms", "producer.linger");
    twins.put("batch.size", "producer.batch_size");
    twins.put("enable.idempotence", "producer.idempotence");
    twins.put("request.timeout.ms", "producer.request_timeout");
    twins.put("delivery.timeout.ms", "producer.message_timeout");
    twins.put("max.block.ms", "timeout");
    twins.put("client.id", "client_id");
    twins.put("metadata.max.age.ms", "metadata.refresh_interval");
    twins.forEach(
        (property, key) ->
            assertInvalid(
                () -> with(Map.of("producer_config", Map.of(property, "1"))),
                "producer_config." + property,
                "conflicts with " + key + "; set one of them"));
    // retries and their backoff are the client's own unless the producer block sets them
    assertThat(with(Map.of("producer_config", Map.of("retries", 3))).producerConfig())
        .isEqualTo(Map.of("retries", "3"));
  }

  @Test
  void ownedProducerPropertiesAreTheDerivedOnes() {
    ProducerSettings d = ProducerSettings.DEFAULT;
    ProducerSettings everything =
        new ProducerSettings(
            d.maxMessageBytes(),
            d.maxBrokerWriteBytes(),
            Acks.ALL,
            ProducerCompression.GZIP,
            new ProducerSettings.CompressionParams(5),
            0,
            d.batchSize(),
            true,
            d.linger(),
            5,
            Duration.ofMillis(50),
            Duration.ofSeconds(2),
            null,
            null,
            true);
    for (KafkaExporterConfig c :
        List.of(
            D,
            with(Map.of("producer", everything)),
            with(Map.of("producer", producer(Acks.ALL, ProducerCompression.LZ4, -1))),
            with(Map.of("partitioner", PartitionerType.STICKY)),
            with(
                Map.of(
                    "record_partitioner",
                    new RecordPartitionerConfig(
                        null, null, null, new RecordPartitionerConfig.NoSettings(), null))))) {
      Map<String, Object> p = new java.util.HashMap<>(ProducerProperties.of(c, c.client()));
      p.keySet().removeAll(List.of("bootstrap.servers", "key.serializer", "value.serializer"));
      assertThat(
              ProducerProperties.owned(c.client(), c.producer(), c.partitionerType(), "partitioner")
                  .keySet())
          .isEqualTo(p.keySet());
    }
  }

  @Test
  void producerRetryTimeoutAndIdempotenceOptions() {
    ProducerSettings d = ProducerSettings.DEFAULT;
    ProducerSettings ps =
        new ProducerSettings(
            d.maxMessageBytes(),
            d.maxBrokerWriteBytes(),
            Acks.ALL,
            ProducerCompression.NONE,
            null,
            0,
            d.batchSize(),
            true,
            Duration.ofMillis(20),
            5,
            Duration.ofMillis(50),
            Duration.ofSeconds(2),
            Duration.ofMinutes(5),
            Duration.ofSeconds(30),
            true);
    KafkaExporterConfig withRetries = with(Map.of("producer", ps));
    Map<String, Object> p = ProducerProperties.of(withRetries, withRetries.client());
    assertThat(p)
        .containsEntry("retries", 5)
        .containsEntry("retry.backoff.ms", 50L)
        .containsEntry("retry.backoff.max.ms", 2000L)
        .containsEntry("delivery.timeout.ms", 300_000)
        .containsEntry("request.timeout.ms", 30_000)
        .containsEntry("enable.idempotence", "true")
        .containsEntry("linger.ms", 20L);
    new org.apache.kafka.clients.producer.ProducerConfig(p);
    ProducerSettings off =
        new ProducerSettings(
            d.maxMessageBytes(),
            d.maxBrokerWriteBytes(),
            Acks.ALL,
            null,
            null,
            0,
            d.batchSize(),
            true,
            d.linger(),
            null,
            null,
            null,
            null,
            null,
            false);
    KafkaExporterConfig idempotenceOff = with(Map.of("producer", off));
    assertThat(ProducerProperties.of(idempotenceOff, idempotenceOff.client()))
        .containsEntry("enable.idempotence", "false");

    assertInvalid(
        () ->
            new ProducerSettings(
                10,
                10,
                Acks.ONE,
                null,
                null,
                0,
                0,
                true,
                Duration.ZERO,
                -1,
                null,
                null,
                null,
                null,
                null),
        "retries",
        "must not be negative, got -1");
    assertInvalid(
        () ->
            new ProducerSettings(
                10,
                10,
                Acks.ONE,
                null,
                null,
                0,
                0,
                true,
                Duration.ZERO,
                null,
                Duration.ofSeconds(2),
                Duration.ofSeconds(1),
                null,
                null,
                null),
        "retry_backoff_max",
        "must not be less than retry_backoff (PT2S), got PT1S");
    assertInvalid(
        () ->
            new ProducerSettings(
                10,
                10,
                Acks.ONE,
                null,
                null,
                0,
                0,
                true,
                Duration.ofMillis(5),
                null,
                null,
                null,
                Duration.ofSeconds(10),
                Duration.ofSeconds(30),
                null),
        "message_timeout",
        "must be at least request_timeout + linger (PT30.005S), got PT10S");
    assertInvalid(
        () ->
            new ProducerSettings(
                10,
                10,
                Acks.ONE,
                null,
                null,
                0,
                0,
                true,
                Duration.ZERO,
                null,
                null,
                null,
                null,
                Duration.ZERO,
                null),
        "request_timeout",
        "must be positive, got PT0S");
    assertInvalid(
        () ->
            new ProducerSettings(
                10,
                10,
                Acks.ONE,
                null,
                null,
                0,
                0,
                true,
                Duration.ZERO,
                null,
                null,
                null,
                null,
                null,
                true),
        "idempotence",
        "needs required_acks: all");
  }

  @Test
  void kafkaErrorsAreClassified() {
    assertThat(
            ProducerErrors.classify(new org.apache.kafka.common.errors.TimeoutException("t"))
                .isRetryable())
        .isTrue();
    assertThat(
            ProducerErrors.classify(
                    new org.apache.kafka.common.errors.NotLeaderOrFollowerException("n"))
                .isRetryable())
        .isTrue();
    assertThat(
            ProducerErrors.classify(
                    new org.apache.kafka.common.errors.RecordTooLargeException("big"))
                .isRetryable())
        .isFalse();
    assertThat(
            ProducerErrors.classify(
                    new org.apache.kafka.common.errors.TopicAuthorizationException("no"))
                .isRetryable())
        .isFalse();
    assertThat(
            ProducerErrors.classify(
                    new java.util.concurrent.CompletionException(
                        new org.apache.kafka.common.errors.InvalidTopicException("bad")))
                .getMessage())
        .isEqualTo("InvalidTopicException: bad");
  }
}
