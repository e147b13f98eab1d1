package io.tiercel.core.component;

import java.util.List;
import java.util.Map;

/**
 * What the running service shows of itself to an extension that reports on it (the {@code zpages}
 * extension): its pipelines, its components under their status keys and its effective config. Read
 * on any thread; every call reflects the service as it runs at that moment.
 */
public interface ServiceView {
  /** A service that shows nothing (a host built by hand, a test). */
  ServiceView NONE =
      new ServiceView() {
        @Override
        public List<Pipeline> pipelines() {
          return List.of();
        }

        @Override
        public Map<String, Component> components() {
          return Map.of();
        }

        @Override
        public Map<String, Object> effectiveConfig() {
          return Map.of();
        }
      };

  /**
   * One pipeline as configured.
   *
   * @param id the pipeline id ({@code traces}, {@code logs/2})
   * @param signal its signal's id ({@code traces}, {@code metrics}, {@code logs}, {@code profiles})
   * @param receivers its receivers in config order
   * @param processors its processors in order
   * @param exporters its exporters in config order
   */
  record Pipeline(
      String id,
      String signal,
      List<ComponentId> receivers,
      List<ComponentId> processors,
      List<ComponentId> exporters) {
    public Pipeline {
      receivers = List.copyOf(receivers);
      processors = List.copyOf(processors);
      exporters = List.copyOf(exporters);
    }
  }

  /** The pipelines, in config order. */
  List<Pipeline> pipelines();

  /**
   * The built components by status key ({@code receiver/<id>}, {@code processor/<id>[<pipeline>]},
   * {@code exporter/<id>[<signal>]}, {@code extension/<id>}), in start order.
   */
  Map<String, Component> components();

  /**
   * The effective config as {@code print-config} shows it (a YAML tree with every secret shown as
   * {@code [REDACTED]}).
   */
  Map<String, Object> effectiveConfig();
}
