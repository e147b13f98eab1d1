package io.tiercel.core.config;

import io.tiercel.core.component.ComponentRegistry;
import io.tiercel.core.component.Consumers;
import io.tiercel.core.component.ExporterFactory;
import io.tiercel.core.component.Extension;
import io.tiercel.core.component.ExtensionFactory;
import io.tiercel.core.component.ProcessorFactory;
import io.tiercel.core.component.Receiver;
import io.tiercel.core.component.ReceiverFactory;
import io.tiercel.core.component.Settings;
import io.tiercel.core.component.Stability;
import io.tiercel.core.pdata.Signal;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Factories with realistic config records, for config tests only (they create nothing). */
final class TestFactories {
  private TestFactories() {}

  static final Map<Signal, Stability> ALL =
      Map.of(
          Signal.TRACES,
          Stability.BETA,
          Signal.METRICS,
          Stability.BETA,
          Signal.LOGS,
          Stability.BETA);

  static ComponentRegistry registry() {
    return ComponentRegistry.of(
        List.of(
            new Generator(),
            new Otlp(),
            new Batch(),
            new MemoryLimiter(),
            new Kafka(),
            new OtlpGrpc(),
            new LogsOnly(),
            new HealthCheck()));
  }

  // ----------------------------------------------------------------------------------------------
  // receivers

  record GeneratorConfig(
      int spansPerSecond,
      Duration interval,
      String serviceName,
      boolean enabled,
      double ratio,
      long maxItems,
      Map<String, String> attributes,
      List<String> tags) {}

  static final class Generator implements ReceiverFactory<GeneratorConfig> {
    @Override
    public String type() {
      return "generator";
    }

    @Override
    public Class<GeneratorConfig> configClass() {
      return GeneratorConfig.class;
    }

    @Override
    public GeneratorConfig createDefaultConfig() {
      return new GeneratorConfig(
          100, Duration.ofSeconds(1), "gen", true, 0.5, 0L, Map.of(), List.of());
    }

    @Override
    public Map<Signal, Stability> signals() {
      return ALL;
    }

    @Override
    public Receiver create(Settings s, GeneratorConfig c, Consumers next) {
      throw new UnsupportedOperationException();
    }
  }

  record Endpoint(String endpoint) {}

  record Protocols(Endpoint grpc, Endpoint http) {}

  record OtlpReceiverConfig(Protocols protocols) {}

  static final class Otlp implements ReceiverFactory<OtlpReceiverConfig> {
    @Override
    public String type() {
      return "otlp";
    }

    @Override
    public Class<OtlpReceiverConfig> configClass() {
      return OtlpReceiverConfig.class;
    }

    @Override
    public OtlpReceiverConfig createDefaultConfig() {
      return new OtlpReceiverConfig(
          new Protocols(new Endpoint("localhost:4317"), new Endpoint("localhost:4318")));
    }

    @Override
    public Map<Signal, Stability> signals() {
      return ALL;
    }

    @Override
    public Receiver create(Settings s, OtlpReceiverConfig c, Consumers next) {
      throw new UnsupportedOperationException();
    }
  }

  // ----------------------------------------------------------------------------------------------
  // processors

  record BatchConfig(Duration timeout, int sendBatchSize, int sendBatchMaxSize) {
    BatchConfig {
      if (sendBatchMaxSize != 0 && sendBatchMaxSize < sendBatchSize) {
        throw new InvalidValueException(
            "send_batch_max_size",
            "must be 0 or at least send_batch_size ("
                + sendBatchSize
                + "), got "
                + sendBatchMaxSize);
      }
    }
  }

  static final class Batch implements ProcessorFactory<BatchConfig> {
    @Override
    public String type() {
      return "batch";
    }

    @Override
    public Class<BatchConfig> configClass() {
      return BatchConfig.class;
    }

    @Override
    public BatchConfig createDefaultConfig() {
      return new BatchConfig(Duration.ofMillis(200), 8192, 0);
    }

    @Override
    public Map<Signal, Stability> signals() {
      return ALL;
    }
  }

  record MemoryLimiterConfig(Duration checkInterval, int limitMib, int spikeLimitMib)
      implements Validatable {
    MemoryLimiterConfig {
      if (checkInterval.isZero()) {
        throw new IllegalArgumentException("check_interval must be greater than zero");
      }
    }

    @Override
    public void validate() {
      if (limitMib <= 0) {
        throw new InvalidValueException("limit_mib", "must be set (greater than zero)");
      }
    }
  }

  static final class MemoryLimiter implements ProcessorFactory<MemoryLimiterConfig> {
    @Override
    public String type() {
      return "memory_limiter";
    }

    @Override
    public Class<MemoryLimiterConfig> configClass() {
      return MemoryLimiterConfig.class;
    }

    @Override
    public MemoryLimiterConfig createDefaultConfig() {
      return new MemoryLimiterConfig(Duration.ofSeconds(1), 0, 0);
    }

    @Override
    public Map<Signal, Stability> signals() {
      return ALL;
    }
  }

  // ----------------------------------------------------------------------------------------------
  // exporters

  enum Compression {
    NONE,
    GZIP,
    SNAPPY,
    LZ4,
    ZSTD
  }

  enum Encoding {
    @Key("otlp_proto")
    OTLP_PROTO,
    @Key("otlp_json")
    OTLP_JSON,
    RAW
  }

  record Auth(String username, Secret password) {
    Auth {
      if (password != null && password.value().length() < 4) {
        throw new IllegalArgumentException("password \"" + password.value() + "\" is too short");
      }
    }
  }

  record Producer(Compression compression, int maxMessageBytes, Map<String, Object> passthrough) {}

  record KafkaConfig(
      List<String> brokers,
      String topic,
      Encoding encoding,
      Auth auth,
      Producer producer,
      Duration timeout,
      Long clientTimeoutMs) {}

  static final class Kafka implements ExporterFactory<KafkaConfig> {
    @Override
    public String type() {
      return "kafka";
    }

    @Override
    public Class<KafkaConfig> configClass() {
      return KafkaConfig.class;
    }

    @Override
    public KafkaConfig createDefaultConfig() {
      return new KafkaConfig(
          List.of("localhost:9092"),
          "otlp_spans",
          Encoding.OTLP_PROTO,
          null,
          new Producer(Compression.NONE, 1_000_000, Map.of()),
          Duration.ofSeconds(5),
          null);
    }

    @Override
    public Map<Signal, Stability> signals() {
      return ALL;
    }
  }

  record OtlpGrpcConfig(String endpoint, Map<String, Secret> headers, boolean insecure) {}

  static final class OtlpGrpc implements ExporterFactory<OtlpGrpcConfig> {
    @Override
    public String type() {
      return "otlp_grpc";
    }

    @Override
    public Set<String> aliases() {
      return Set.of("otlp");
    }

    @Override
    public Class<OtlpGrpcConfig> configClass() {
      return OtlpGrpcConfig.class;
    }

    @Override
    public OtlpGrpcConfig createDefaultConfig() {
      return new OtlpGrpcConfig("", Map.of(), false);
    }

    @Override
    public Map<Signal, Stability> signals() {
      return ALL;
    }
  }

  record LogsOnlyConfig(String path) {}

  static final class LogsOnly implements ExporterFactory<LogsOnlyConfig> {
    @Override
    public String type() {
      return "logs_only";
    }

    @Override
    public Class<LogsOnlyConfig> configClass() {
      return LogsOnlyConfig.class;
    }

    @Override
    public LogsOnlyConfig createDefaultConfig() {
      return new LogsOnlyConfig("out.log");
    }

    @Override
    public Map<Signal, Stability> signals() {
      return Map.of(Signal.LOGS, Stability.ALPHA);
    }
  }

  // ----------------------------------------------------------------------------------------------
  // extensions

  static final class HealthCheck implements ExtensionFactory<Endpoint> {
    @Override
    public String type() {
      return "health_check";
    }

    @Override
    public Class<Endpoint> configClass() {
      return Endpoint.class;
    }

    @Override
    public Endpoint createDefaultConfig() {
      return new Endpoint("localhost:13133");
    }

    @Override
    public Stability stability() {
      return Stability.BETA;
    }

    @Override
    public Extension create(Settings s, Endpoint c) {
      throw new UnsupportedOperationException();
    }
  }
}
