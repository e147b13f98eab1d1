package io.tiercel.core.config;

import io.tiercel.core.component.ComponentId;
import java.util.List;
import java.util.Map;

/**
 * A loaded, expanded, merged and validated config: every component bound to its config record,
 * every pipeline checked against the configured components. Produced by {@link ConfigLoader};
 * consumed by the service that builds the pipeline graph.
 */
public record ServiceConfig(
    Map<ComponentId, ComponentConfig> receivers,
    Map<ComponentId, ComponentConfig> processors,
    Map<ComponentId, ComponentConfig> exporters,
    Map<ComponentId, ComponentConfig> extensions,
    List<ComponentId> serviceExtensions,
    Map<PipelineId, PipelineConfig> pipelines,
    TelemetryConfig telemetry) {}
