package io.tiercel.distributions.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tiercel.core.component.BuildInfo;
import io.tiercel.core.component.ComponentRegistry;
import io.tiercel.core.config.ConfigException;
import io.tiercel.core.config.ConfigLoader;
import io.tiercel.core.config.EffectiveConfig;
import io.tiercel.core.config.ServiceConfig;
import io.tiercel.core.service.Service;
import io.tiercel.core.telemetry.MetricsRegistry;
import io.tiercel.kafka.receiver.KafkaReceiverConfig;
import io.tiercel.kafka.receiver.MaxInFlight;
import io.tiercel.processors.memorylimiter.MemoryLimiterConfig;
import io.tiercel.processors.tailsampling.TailSamplingConfig;
import io.tiercel.processors.tailsampling.TailSamplingFactory;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every config this module ships ({@code config/*.yaml}, the same files inside the jar) and every
 * YAML block of {@code docs/TWO-TIERS.md} loads with the real {@link ConfigLoader} and builds a
 * pipeline graph: what {@code tiercel validate} does.
 */
class ShippedConfigsTest {
  private static final Path CONFIG = Path.of("config");
  private static final Path TWO_TIERS = Path.of("..", "docs", "TWO-TIERS.md");

  /** What the configs read from the environment; the rest is unset. */
  private static final Map<String, String> ENV =
      Map.of(
          "OTLP_ENDPOINT", "http://backend.example:4317",
          "KAFKA_USERNAME", "tiercel",
          "KAFKA_PASSWORD", "s3cret",
          "BACKEND_TOKEN", "t0ken");

  private final ComponentRegistry registry = ComponentRegistry.load();

  @TempDir Path tmp;

  @Test
  void theShippedConfigsAreTheTwoTiers() throws IOException {
    try (var files = Files.list(CONFIG)) {
      assertThat(files.map(p -> p.getFileName().toString()).sorted().toList())
          .containsExactly("ingestion.yaml", "processing.yaml");
    }
  }

  @Test
  void ingestionValidatesWithItsDefaults() throws Exception {
    ServiceConfig cfg = validate(CONFIG.resolve("ingestion.yaml"), Map.of());
    assertThat(cfg.receivers().keySet()).map(Object::toString).containsExactly("otlp");
    assertThat(cfg.processors().keySet())
        .map(Object::toString)
        .containsExactly("memory_limiter", "batch");
    assertThat(cfg.exporters().keySet()).map(Object::toString).containsExactly("kafka");
    assertThat(cfg.serviceExtensions()).map(Object::toString).containsExactly("health_check");
    assertThat(cfg.pipelines().keySet())
        .map(Object::toString)
        .containsExactlyInAnyOrder("traces", "metrics", "logs");

    String effective = EffectiveConfig.toYaml(EffectiveConfig.tree(cfg));
    assertThat(effective)
        .contains(
            "endpoint: 0.0.0.0:4317",
            "endpoint: 0.0.0.0:4318",
            "- localhost:9092",
            "partition_traces_by_id: true",
            "partition_metrics_by_resource_attributes: true",
            "partition_logs_by_resource_attributes: true",
            "required_acks: all",
            "compression: lz4",
            "encoding: otlp_proto",
            "wait_for_result: true");
  }

  @Test
  void ingestionTakesItsBrokersFromTheEnvironment() throws Exception {
    ServiceConfig cfg =
        validate(CONFIG.resolve("ingestion.yaml"), Map.of("KAFKA_BROKERS", "k1:9092,k2:9093"));
    assertThat(EffectiveConfig.toYaml(EffectiveConfig.tree(cfg))).contains("- k1:9092,k2:9093");
  }

  @Test
  void processingValidatesWithAnEndpoint() throws Exception {
    ServiceConfig cfg = validate(CONFIG.resolve("processing.yaml"), ENV);
    assertThat(cfg.receivers().keySet()).map(Object::toString).containsExactly("kafka");
    assertThat(cfg.processors().keySet())
        .map(Object::toString)
        .containsExactly("memory_limiter", "filter", "transform", "tail_sampling", "batch");
    assertThat(cfg.exporters().keySet()).map(Object::toString).containsExactly("otlp_grpc");
    String effective = EffectiveConfig.toYaml(EffectiveConfig.tree(cfg));
    assertThat(effective)
        .contains(
            "group_id: tiercel-processing",
            "initial_offset: earliest",
            "endpoint: http://backend.example:4317",
            "wait_for_result: true");
  }

  @Test
  void processingSamplesTracesOnlyAfterFilterAndTransform() throws Exception {
    ServiceConfig cfg = validate(CONFIG.resolve("processing.yaml"), ENV);
    Map<String, List<String>> processors = new TreeMap<>();
    cfg.pipelines()
        .forEach(
            (id, p) ->
                processors.put(
                    id.toString(), p.processors().stream().map(Object::toString).toList()));
    assertThat(processors)
        .containsExactly(
            Map.entry("logs", List.of("memory_limiter", "filter", "transform", "batch")),
            Map.entry("metrics", List.of("memory_limiter", "filter", "transform", "batch")),
            Map.entry(
                "traces",
                List.of("memory_limiter", "filter", "transform", "tail_sampling", "batch")));
    TailSamplingConfig ts = (TailSamplingConfig) config(cfg, "tail_sampling");
    assertThat(ts.policies())
        .extracting(p -> p.name() + ":" + p.type())
        .containsExactly("errors:status_code", "slow:latency", "ten-percent:probabilistic");
    assertThat(ts.decisionCache().sampledCacheSize()).isPositive();
    assertThat(ts.decisionCache().nonSampledCacheSize()).isPositive();
    assertThat(ts.dropPendingTracesOnShutdown())
        .as("a restart leaves undecided traces to the next owner")
        .isTrue();
  }

  /**
   * The numbers the comments of {@code processing.yaml} and docs/TWO-TIERS.md derive stay
   * consistent when one of them is edited: at the design point (1,000 records/s per partition,
   * records of ~2 KiB holding one 5-span trace, ~2.4 KB of heap per buffered span, measured) a
   * partition's in-flight window holds decision_wait plus one tick of records and bytes, and the
   * tail_sampling buffer fits below the memory_limiter's soft limit of a 2 GiB heap.
   */
  @Test
  void processingSizingHoldsDecisionWaitOfDataAtTheDesignPoint() throws Exception {
    ServiceConfig cfg = validate(CONFIG.resolve("processing.yaml"), ENV);
    KafkaReceiverConfig kafka =
        (KafkaReceiverConfig) cfg.receivers().entrySet().iterator().next().getValue().config();
    TailSamplingConfig ts = (TailSamplingConfig) config(cfg, "tail_sampling");
    MemoryLimiterConfig ml = (MemoryLimiterConfig) config(cfg, "memory_limiter");
    long ratePerPartition = 1_000;
    long recordBytes = 2_048;
    double heldSeconds =
        ts.decisionWait().plus(TailSamplingFactory.DEFAULT_DECISION_TICK).toMillis() / 1000.0;
    assertThat(ts.decisionWait()).isEqualTo(Duration.ofSeconds(10));
    assertThat((double) kafka.maxInFlight().records())
        .as("records per partition >= rate x (decision_wait + tick)")
        .isGreaterThanOrEqualTo(ratePerPartition * heldSeconds);
    assertThat((double) kafka.maxInFlight().bytes())
        .as("bytes per partition >= records x record size")
        .isGreaterThanOrEqualTo((double) kafka.maxInFlight().records() * recordBytes);
    assertThat(kafka.revokeTimeout())
        .as("revoke_timeout >= decision_wait + tick: a rebalance waits for decisions")
        .isGreaterThanOrEqualTo(ts.decisionWait().plus(TailSamplingFactory.DEFAULT_DECISION_TICK));
    assertThat(kafka.maxInFlight().records())
        .as("more than the receiver's default")
        .isGreaterThan(MaxInFlight.DEFAULT.records());
    long heap = 2L << 30;
    long softLimit = heap / 100 * (ml.limitPercentage() - ml.spikeLimitPercentage());
    long buffered = (long) ts.numTraces() * 5 * 2_400;
    assertThat(buffered)
        .as("num_traces x 5 spans x 2.4 KB below the soft limit of -Xmx2g")
        .isLessThan(softLimit * 3 / 4);
    assertThat((long) ts.numTraces())
        .as("num_traces covers 4 partitions at the design rate")
        .isGreaterThanOrEqualTo((long) (4 * ratePerPartition * heldSeconds));
  }

  private static Record config(ServiceConfig cfg, String processor) {
    return cfg.processors().entrySet().stream()
        .filter(e -> e.getKey().toString().equals(processor))
        .findFirst()
        .orElseThrow()
        .getValue()
        .config();
  }

  @Test
  void processingRequiresOtlpEndpoint() {
    assertThatThrownBy(() -> validate(CONFIG.resolve("processing.yaml"), Map.of()))
        .isInstanceOfSatisfying(
            ConfigException.class,
            e ->
                assertThat(e.errors())
                    .hasSize(1)
                    .allSatisfy(
                        err -> assertThat(err.path()).isEqualTo("exporters.otlp_grpc.endpoint")));
  }

  @Test
  void theJarCarriesTheSameConfigs() throws IOException {
    for (String name : List.of("ingestion.yaml", "processing.yaml")) {
      try (InputStream in = getClass().getResourceAsStream("/tiercel/config/" + name)) {
        assertThat(in).as(name).isNotNull();
        assertThat(new String(Objects.requireNonNull(in).readAllBytes(), StandardCharsets.UTF_8))
            .isEqualTo(Files.readString(CONFIG.resolve(name)));
      }
    }
  }

  @Test
  void everyYamlBlockOfTheTwoTiersGuideValidates() throws Exception {
    List<String> blocks = yamlBlocks(Files.readString(TWO_TIERS));
    assertThat(blocks).hasSizeGreaterThanOrEqualTo(4);
    List<String> failures = new ArrayList<>();
    for (int i = 0; i < blocks.size(); i++) {
      Path p = Files.writeString(tmp.resolve("block-" + i + ".yaml"), blocks.get(i));
      // A block that says it is layered on a shipped config is a second config source over it.
      Matcher layered = LAYERED.matcher(blocks.get(i));
      try {
        if (layered.lookingAt()) {
          validate(List.of(CONFIG.resolve(layered.group(1)).toString(), p.toString()), ENV);
        } else {
          validate(p, ENV);
        }
      } catch (ConfigException e) {
        failures.add(
            "block "
                + (i + 1)
                + ":\n"
                + e.errors().stream().map(Object::toString).collect(Collectors.joining("\n")));
      }
    }
    assertThat(failures).isEmpty();
  }

  /** The bodies of the {@code ```yaml} fences, in order. */
  static List<String> yamlBlocks(String markdown) {
    List<String> blocks = new ArrayList<>();
    StringBuilder cur = null;
    for (String line : markdown.split("\n", -1)) {
      if (cur == null && line.strip().equals("```yaml")) {
        cur = new StringBuilder();
      } else if (cur != null && line.strip().equals("```")) {
        blocks.add(cur.toString());
        cur = null;
      } else if (cur != null) {
        cur.append(line).append('\n');
      }
    }
    assertThat(cur).as("unterminated ```yaml fence").isNull();
    return blocks;
  }

  private static final Pattern LAYERED =
      Pattern.compile("# [^\\n]*layered on (ingestion\\.yaml|processing\\.yaml)");

  private ServiceConfig validate(Path yaml, Map<String, String> env) throws Exception {
    return validate(List.of(yaml.toString()), env);
  }

  private ServiceConfig validate(List<String> sources, Map<String, String> env) throws Exception {
    ServiceConfig cfg = new ConfigLoader(registry, env::get).load(sources, List.of());
    new Service(cfg, BuildInfo.DEFAULT, new MetricsRegistry(), Clock.systemUTC()).build();
    return cfg;
  }
}
