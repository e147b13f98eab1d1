package io.tiercel.kafka.exporter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tiercel.core.component.ComponentRegistry;
import io.tiercel.core.config.ConfigBinder;
import io.tiercel.core.config.ConfigError;
import io.tiercel.core.config.ConfigLoader;
import io.tiercel.core.config.Secret;
import io.tiercel.core.pdata.Signal;
import io.tiercel.kafka.common.config.SaslMechanism;
import io.tiercel.kafka.common.config.SecurityProtocol;
import io.tiercel.kafka.common.encoding.RecordEncoding;
import io.tiercel.kafka.common.partition.PartitionerType;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * The exporter's YAML through the real config loader and binder: testdata/config.yaml and
 * invalid_configs.yaml.
 */
class KafkaExporterYamlTest {
  private static final KafkaExporterFactory FACTORY = new KafkaExporterFactory();

  @TempDir Path dir;

  @SuppressWarnings("unchecked")
  private static Map<String, Object> exporters(Path file) throws Exception {
    ConfigLoader loader =
        new ConfigLoader(
            ComponentRegistry.of(List.of(FACTORY)),
            k -> k.equals("KAFKA_PASSWORD") ? "pw-from-env" : null);
    return (Map<String, Object>)
        loader.loadRaw(List.of(file.toString()), List.of()).get("exporters");
  }

  private static KafkaExporterConfig bind(Object yaml, String id, List<ConfigError> errors) {
    return ConfigBinder.bind(
        KafkaExporterConfig.class, FACTORY.createDefaultConfig(), yaml, "exporters." + id, errors);
  }

  @Test
  void configYamlBinds() throws Exception {
    Map<String, Object> e =
        exporters(Path.of(getClass().getResource("/testdata/config.yaml").toURI()));
    List<ConfigError> errors = new ArrayList<>();
    assertThat(bind(e.get("kafka"), "kafka", errors)).isEqualTo(FACTORY.createDefaultConfig());

    KafkaExporterConfig c = bind(e.get("kafka/full"), "kafka/full", errors);
    assertThat(errors).isEmpty();
    assertThat(c.brokers()).containsExactly("broker1:9092", "broker2:9092");
    assertThat(c.clientId()).isEqualTo("ingest-1");
    assertThat(c.topicFor(Signal.TRACES)).isEqualTo("spans");
    assertThat(c.encodingFor(Signal.LOGS))
        .isEqualTo(io.tiercel.kafka.common.encoding.EncodingRef.of(RecordEncoding.OTLP_JSON));
    assertThat(c.encodingFor(Signal.METRICS))
        .isEqualTo(io.tiercel.kafka.common.encoding.EncodingRef.of(RecordEncoding.OTLP_PROTO));
    assertThat(c.includeMetadataKeys()).containsExactly("x-tenant");
    assertThat(c.recordHeaders()).isEqualTo(Map.of("env", "prod"));
    assertThat(c.signalHeader()).isTrue();
    assertThat(c.keyBy(Signal.TRACES)).isEqualTo(WireSplitter.KeyBy.TRACE_ID);
    assertThat(c.keyBy(Signal.METRICS)).isEqualTo(WireSplitter.KeyBy.RESOURCE);
    assertThat(c.keyBy(Signal.LOGS)).isEqualTo(WireSplitter.KeyBy.TRACE_ID);
    assertThat(c.partitioner()).isEqualTo(PartitionerType.CONSISTENT_RANDOM);
    assertThat(c.tls().caFile()).isEqualTo("/etc/kafka/ca.pem");
    assertThat(c.auth().sasl().mechanism()).isEqualTo(SaslMechanism.SCRAM_SHA_512);
    assertThat(c.auth().sasl().password()).isEqualTo(Secret.of("pw-from-env"));
    assertThat(c.client().securityProtocol()).isEqualTo(SecurityProtocol.SASL_SSL);
    assertThat(c.metadata().refreshInterval()).isEqualTo(Duration.ofMinutes(5));
    assertThat(c.timeout()).isEqualTo(Duration.ofSeconds(10));
    assertThat(c.retryOnFailure().initialInterval()).isEqualTo(Duration.ofSeconds(1));
    assertThat(c.sendingQueue().numConsumers()).isEqualTo(4);
    assertThat(c.producer().maxMessageBytes()).isEqualTo(2_000_000);
    assertThat(c.producer().requiredAcks()).isEqualTo(Acks.ALL);
    assertThat(c.producer().compression()).isEqualTo(ProducerCompression.ZSTD);
    assertThat(c.producer().compressionParams().level()).isEqualTo(6);
    assertThat(c.producer().linger()).isEqualTo(Duration.ofMillis(5));
    assertThat(c.producer().batchSize()).isEqualTo(524288);
    assertThat(c.producer().retries()).isEqualTo(10);
    assertThat(c.producer().retryBackoff()).isEqualTo(Duration.ofMillis(200));
    assertThat(c.producer().retryBackoffMax()).isEqualTo(Duration.ofSeconds(2));
    assertThat(c.producer().messageTimeout()).isEqualTo(Duration.ofMinutes(2));
    assertThat(c.producer().requestTimeout()).isEqualTo(Duration.ofSeconds(20));
    assertThat(c.producer().idempotence()).isTrue();
    assertThat(c.producerConfig()).isEqualTo(Map.of("buffer.memory", "67108864"));
    assertThat(ConfigBinder.toTree(c).toString())
        .doesNotContain("pw-from-env")
        .contains("[REDACTED]");
    // the printed config shows the enums as the YAML spells them
    assertThat(ConfigBinder.toTree(c))
        .containsEntry("partitioner", "consistent_random")
        .extractingByKey("producer")
        .asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.MAP)
        .containsEntry("required_acks", "all")
        .containsEntry("compression", "zstd");

    KafkaExporterConfig rotel = bind(e.get("kafka/rotel"), "kafka/rotel", errors);
    assertThat(errors).isEmpty();
    assertThat(rotel.producer().requiredAcks()).isEqualTo(Acks.ONE);
    assertThat(rotel.producer().compression()).isEqualTo(ProducerCompression.LZ4);
    assertThat(rotel.partitioner()).isEqualTo(PartitionerType.MURMUR2_RANDOM);
  }

  /** A YAML scalar as SnakeYAML reads it: {@code 1} is an int, {@code one} a string. */
  private static Object scalar(String yaml) {
    return new Yaml(new SafeConstructor(new LoaderOptions())).load(yaml);
  }

  @ParameterizedTest(name = "required_acks: {0}")
  @CsvSource({
    "0, NONE",
    "none, NONE",
    "1, ONE",
    "one, ONE",
    "-1, ALL",
    "all, ALL",
    "ALL, ALL",
    "One, ONE"
  })
  void requiredAcksAcceptsCollectorAndRotelSpellings(String value, Acks expected) {
    List<ConfigError> errors = new ArrayList<>();
    KafkaExporterConfig c =
        bind(Map.of("producer", Map.of("required_acks", scalar(value))), "kafka", errors);
    assertThat(errors).isEmpty();
    assertThat(c.producer().requiredAcks()).isEqualTo(expected);
  }

  @ParameterizedTest(name = "partitioner: {0}")
  @CsvSource({
    "sarama_compat, SARAMA_COMPAT",
    "murmur2, MURMUR2",
    "consistent, CONSISTENT",
    "consistent-random, CONSISTENT_RANDOM",
    "consistent_random, CONSISTENT_RANDOM",
    "Murmur2_Random, MURMUR2_RANDOM",
    "murmur2-random, MURMUR2_RANDOM",
    "fnv1a, FNV1A",
    "fnv1a-random, FNV1A_RANDOM",
    "round-robin, ROUND_ROBIN",
    "sticky, STICKY",
    "least-backup, LEAST_BACKUP"
  })
  void partitionerAcceptsDashOrUnderscore(String value, PartitionerType expected) {
    List<ConfigError> errors = new ArrayList<>();
    KafkaExporterConfig c = bind(Map.of("partitioner", value), "kafka", errors);
    assertThat(errors).isEmpty();
    assertThat(c.partitioner()).isEqualTo(expected);
  }

  static Stream<Arguments> recordPartitioners() {
    return Stream.of(
        Arguments.of("{}", PartitionerType.SARAMA_COMPAT),
        Arguments.of("{sticky_key: {}}", PartitionerType.SARAMA_COMPAT),
        Arguments.of("{sticky_key: {hasher: sarama_compat}}", PartitionerType.SARAMA_COMPAT),
        Arguments.of("{sticky_key: {hasher: murmur2}}", PartitionerType.MURMUR2),
        Arguments.of("{round_robin: {}}", PartitionerType.ROUND_ROBIN),
        Arguments.of("{round_robin: }", PartitionerType.ROUND_ROBIN),
        Arguments.of("{least_backup: {}}", PartitionerType.LEAST_BACKUP),
        Arguments.of("{type: sarama_compatible}", PartitionerType.SARAMA_COMPAT),
        Arguments.of("{type: sticky}", PartitionerType.STICKY),
        Arguments.of("{type: round_robin}", PartitionerType.ROUND_ROBIN),
        Arguments.of("{type: least_backup}", PartitionerType.LEAST_BACKUP));
  }

  @ParameterizedTest(name = "record_partitioner: {0}")
  @MethodSource("recordPartitioners")
  void recordPartitionerMapsOntoAPartitionerType(String yaml, PartitionerType expected) {
    List<ConfigError> errors = new ArrayList<>();
    Object tree = new Yaml(new SafeConstructor(new LoaderOptions())).load(yaml);
    Map<String, Object> m = new java.util.HashMap<>();
    m.put("record_partitioner", tree);
    KafkaExporterConfig c = bind(m, "kafka", errors);
    assertThat(errors).isEmpty();
    assertThat(c.partitionerType()).isEqualTo(expected);
    assertThat(c.partitioner()).isEqualTo(PartitionerType.SARAMA_COMPAT);
    // the tree written back binds to the same config
    assertThat(bind(ConfigBinder.toTree(c), "kafka", errors)).isEqualTo(c);
    assertThat(errors).isEmpty();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({"sticky, false", "least_backup, true"})
  void producerChosenPartitionsSetTheClientsPartitioner(String type, boolean adaptive) {
    List<ConfigError> errors = new ArrayList<>();
    KafkaExporterConfig c =
        bind(Map.of("record_partitioner", Map.of("type", type)), "kafka", errors);
    assertThat(errors).isEmpty();
    assertThat(ProducerProperties.of(c, c.client()))
        .containsEntry("partitioner.ignore.keys", "true")
        .containsEntry("partitioner.adaptive.partitioning.enable", Boolean.toString(adaptive))
        .doesNotContainKey("partitioner.class");
  }

  @Test
  void keyHashingPartitionersLeaveTheClientsPartitionerAlone() {
    List<ConfigError> errors = new ArrayList<>();
    KafkaExporterConfig c =
        bind(Map.of("record_partitioner", Map.of("round_robin", Map.of())), "kafka", errors);
    assertThat(errors).isEmpty();
    assertThat(ProducerProperties.of(c, c.client()))
        .doesNotContainKeys("partitioner.ignore.keys", "partitioner.adaptive.partitioning.enable");
  }

  @Test
  void profilesSectionIsAccepted() {
    List<ConfigError> errors = new ArrayList<>();
    KafkaExporterConfig c =
        bind(
            Map.of(
                "profiles",
                Map.of("topic", "per_signal_topic", "encoding", "otlp_json"),
                "traces",
                Map.of("topic", "spans")),
            "kafka",
            errors);
    assertThat(errors).isEmpty();
    assertThat(c.profiles().topic()).isEqualTo("per_signal_topic");
    assertThat(c.profiles().encoding())
        .isEqualTo(io.tiercel.kafka.common.encoding.EncodingRef.of(RecordEncoding.OTLP_JSON));
    assertThat(c.topicFor(Signal.TRACES)).isEqualTo("spans");
  }

  @Test
  void profilesGoWholeToOtlpProfilesAsOtlpProto() {
    KafkaExporterConfig d = KafkaExporterConfig.defaults();
    assertThat(d.topicFor(Signal.PROFILES)).isEqualTo("otlp_profiles");
    assertThat(d.encodingFor(Signal.PROFILES))
        .isEqualTo(io.tiercel.kafka.common.encoding.EncodingRef.of(RecordEncoding.OTLP_PROTO));
    assertThat(d.keyBy(Signal.PROFILES)).isEqualTo(WireSplitter.KeyBy.NONE);
    List<ConfigError> errors = new ArrayList<>();
    KafkaExporterConfig json =
        bind(Map.of("profiles", Map.of("encoding", "otlp_json")), "kafka", errors);
    assertThat(errors).isEmpty();
    var settings =
        io.tiercel.core.component.Settings.forTest(
            io.tiercel.core.component.Kind.EXPORTER,
            io.tiercel.core.component.ComponentId.of("kafka"),
            Signal.PROFILES);
    assertThatThrownBy(() -> new KafkaExporterFactory().createProfiles(settings, json))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "exporters.kafka.profiles.encoding: \"otlp_json\" is not supported for profiles; use"
                + " otlp_proto");
  }

  @SuppressWarnings("unchecked")
  static Stream<Arguments> invalid() throws IOException {
    try (InputStream in =
        KafkaExporterYamlTest.class.getResourceAsStream("/testdata/invalid_configs.yaml")) {
      Map<String, Map<String, Object>> all =
          (Map<String, Map<String, Object>>)
              new Yaml(new SafeConstructor(new LoaderOptions())).load(in);
      return all.entrySet().stream()
          .map(e -> Arguments.of(Named.of(e.getKey(), e.getKey()), e.getValue()));
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("invalid")
  void invalidConfigFailsWithExactMessage(String name, Map<String, Object> c) throws Exception {
    String body =
        ((String) c.get("config")).lines().map(l -> "    " + l).collect(Collectors.joining("\n"));
    Path file =
        Files.writeString(dir.resolve(name + ".yaml"), "exporters:\n  kafka:\n" + body + "\n");
    List<ConfigError> errors = new ArrayList<>();
    KafkaExporterConfig bound = bind(exporters(file).get("kafka"), "kafka", errors);
    assertThat(bound).as("case %s must fail", name).isNull();
    assertThat(errors.stream().map(ConfigError::toString).collect(Collectors.joining("\n")))
        .isEqualTo(c.get("error"));
  }
}
