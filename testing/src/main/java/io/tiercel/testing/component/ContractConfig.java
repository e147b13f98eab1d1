package io.tiercel.testing.component;

import io.tiercel.core.component.Kind;
import io.tiercel.core.config.ConfigBinder;
import io.tiercel.core.config.ConfigException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * Per-factory settings of the component contract: a config to use instead of the default one when
 * the default cannot start without external resources (a {@code file} exporter needs a path, a
 * Kafka exporter a broker), or a reason to skip the start checks altogether.
 *
 * <pre>{@code
 * ContractConfig.builder()
 *     .yaml(Kind.EXPORTER, "file", dir -> Map.of("path", dir.resolve("out.jsonl").toString()))
 *     .skipStart(Kind.EXPORTER, "kafka", "needs a broker: covered by KafkaExporterIT")
 *     .build();
 * }</pre>
 */
public final class ContractConfig {
  /** Builds the config a factory is tested with, from its default config and a fresh temp dir. */
  @FunctionalInterface
  public interface ConfigHook {
    /**
     * Returns the config record (of the factory's {@code configClass()}) to create and start
     * components with.
     *
     * @param defaults the factory's {@code createDefaultConfig()}
     * @param tempDir an empty directory, deleted after the test
     */
    Record create(Record defaults, Path tempDir) throws Exception;
  }

  private final Map<String, ConfigHook> configs;
  private final Map<String, String> skipStart;
  private final Duration timeout;

  private ContractConfig(Builder b) {
    this.configs = Map.copyOf(b.configs);
    this.skipStart = Map.copyOf(b.skipStart);
    this.timeout = b.timeout;
  }

  /** No hooks: every factory is tested with its default config. */
  public static ContractConfig defaults() {
    return builder().build();
  }

  /** A builder. */
  public static Builder builder() {
    return new Builder();
  }

  /** The hook for a factory, or null. */
  public ConfigHook config(Kind kind, String type) {
    return configs.get(key(kind, type));
  }

  /** Why a factory's start checks are skipped, or null when they run. */
  public String skipStartReason(Kind kind, String type) {
    return skipStart.get(key(kind, type));
  }

  /** How long start, consume futures and shutdown may take each (default 10 s). */
  public Duration timeout() {
    return timeout;
  }

  @SuppressWarnings("unchecked")
  private static <R extends Record> R bindOver(R defaults, Map<String, Object> yaml, String path)
      throws ConfigException {
    return ConfigBinder.bind((Class<R>) defaults.getClass(), defaults, yaml, path);
  }

  private static String key(Kind kind, String type) {
    return kind.label() + "/" + type;
  }

  /** Builds a {@link ContractConfig}. */
  public static final class Builder {
    private final Map<String, ConfigHook> configs = new HashMap<>();
    private final Map<String, String> skipStart = new HashMap<>();
    private Duration timeout = Duration.ofSeconds(10);

    private Builder() {}

    /** Tests the factory of {@code kind} and {@code type} with the config {@code hook} makes. */
    public Builder config(Kind kind, String type, ConfigHook hook) {
      configs.put(key(kind, type), Objects.requireNonNull(hook, "hook"));
      return this;
    }

    /**
     * Tests the factory of {@code kind} and {@code type} with its default config and the YAML map
     * {@code overlay} makes laid over it by the config binder, as a user's config would be, e.g.
     * {@code dir -> Map.of("path", dir.resolve("out.json").toString())}.
     */
    public Builder yaml(Kind kind, String type, Function<Path, Map<String, Object>> overlay) {
      Objects.requireNonNull(overlay, "overlay");
      return config(
          kind,
          type,
          (defaults, dir) -> bindOver(defaults, overlay.apply(dir), kind.section() + "." + type));
    }

    /**
     * Skips start, consume and shutdown-after-start for this factory (the static checks and
     * shutdown without start still run); {@code reason} is shown in the test name, so say where the
     * start is tested instead.
     */
    public Builder skipStart(Kind kind, String type, String reason) {
      skipStart.put(key(kind, type), Objects.requireNonNull(reason, "reason"));
      return this;
    }

    /** How long start, consume futures and shutdown may take each. */
    public Builder timeout(Duration timeout) {
      this.timeout = Objects.requireNonNull(timeout, "timeout");
      return this;
    }

    /** The settings given so far. */
    public ContractConfig build() {
      return new ContractConfig(this);
    }
  }
}
