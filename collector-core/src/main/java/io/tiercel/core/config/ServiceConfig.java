package io.tiercel.core.config;

import io.tiercel.core.component.ComponentId;
import io.tiercel.core.component.Kind;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A loaded, expanded, merged and validated config: every component bound to its config record,
 * every pipeline checked against the configured components. Produced by {@link ConfigLoader};
 * consumed by the service that builds the pipeline graph, which relies on the references being
 * checked here. A config made by hand may leave {@code telemetry} out (null): the defaults apply.
 *
 * @throws IllegalArgumentException when a pipeline or {@code service.extensions} names a component
 *     that is not configured, or one twice (the {@link ConfigLoader}'s messages, one per line)
 */
public record ServiceConfig(
    Map<ComponentId, ComponentConfig> receivers,
    Map<ComponentId, ComponentConfig> processors,
    Map<ComponentId, ComponentConfig> exporters,
    Map<ComponentId, ComponentConfig> extensions,
    List<ComponentId> serviceExtensions,
    Map<PipelineId, PipelineConfig> pipelines,
    @Nullable TelemetryConfig telemetry) {
  public ServiceConfig {
    List<ConfigError> errors = new ArrayList<>();
    References.check(
        Kind.EXTENSION,
        serviceExtensions,
        extensions::containsKey,
        "service.extensions",
        errors,
        id -> {});
    for (PipelineConfig p : pipelines.values()) {
      String path = ConfigBinder.join("service.pipelines", p.id().toString());
      References.check(
          Kind.RECEIVER, p.receivers(), receivers::containsKey, path, errors, id -> {});
      References.check(
          Kind.PROCESSOR, p.processors(), processors::containsKey, path, errors, id -> {});
      References.check(
          Kind.EXPORTER, p.exporters(), exporters::containsKey, path, errors, id -> {});
    }
    if (!errors.isEmpty()) {
      throw new IllegalArgumentException(new ConfigException(errors).getMessage());
    }
  }
}
