package io.tiercel.core.config;

import io.tiercel.core.component.ComponentId;
import java.util.List;

/**
 * One pipeline of {@code service.pipelines}: its receivers, processors (in order) and exporters.
 */
public record PipelineConfig(
    PipelineId id,
    List<ComponentId> receivers,
    List<ComponentId> processors,
    List<ComponentId> exporters) {
  public PipelineConfig {
    receivers = List.copyOf(receivers);
    processors = List.copyOf(processors);
    exporters = List.copyOf(exporters);
  }
}
