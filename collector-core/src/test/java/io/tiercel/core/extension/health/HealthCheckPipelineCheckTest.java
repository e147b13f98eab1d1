package io.tiercel.core.extension.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tiercel.core.component.ComponentId;
import io.tiercel.core.component.ComponentRegistry;
import io.tiercel.core.config.ConfigException;
import io.tiercel.core.config.ConfigLoader;
import io.tiercel.core.config.ServiceConfig;
import io.tiercel.core.extension.health.HealthCheckConfig.CheckCollectorPipeline;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The collector's {@code check_collector_pipeline} block loads when switched off (its own testdata
 * has it so) and is refused, naming the key, when switched on.
 */
class HealthCheckPipelineCheckTest {
  private static ServiceConfig load(String healthCheck) throws ConfigException {
    String yaml =
        "receivers: {generator: }\n"
            + "exporters: {debug: }\n"
            + "extensions:\n  health_check:\n"
            + healthCheck.indent(4)
            + "service:\n  extensions: [health_check]\n"
            + "  pipelines: {logs: {receivers: [generator], exporters: [debug]}}\n";
    return new ConfigLoader(ComponentRegistry.load(), Map.of("CFG", yaml)::get)
        .load(List.of("env:CFG"), List.of());
  }

  @Test
  void aSwitchedOffCheckLoads() throws Exception {
    ServiceConfig c =
        load(
            """
            endpoint: "localhost:13"
            check_collector_pipeline:
              enabled: false
              interval: "5m"
              exporter_failure_threshold: 5
            """);
    HealthCheckConfig h =
        (HealthCheckConfig) c.extensions().get(ComponentId.of("health_check")).config();
    assertThat(h.checkCollectorPipeline())
        .isEqualTo(new CheckCollectorPipeline(false, Duration.ofMinutes(5), 5));
    assertThat(HealthCheckConfig.DEFAULT.checkCollectorPipeline().enabled()).isFalse();
  }

  @Test
  void aSwitchedOnCheckIsRefusedNamingTheKey() {
    assertThatThrownBy(() -> load("check_collector_pipeline: {enabled: true}\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessage(
            "extensions.health_check.check_collector_pipeline.enabled: true is not supported:"
                + " Tiercel does not check exporter failures (the collector has deprecated this"
                + " check)");
  }

  @Test
  void aNonPositiveThresholdIsRefused() {
    assertThatThrownBy(() -> load("check_collector_pipeline: {exporter_failure_threshold: 0}\n"))
        .hasMessage(
            "extensions.health_check.check_collector_pipeline.exporter_failure_threshold: must"
                + " be positive, got 0");
  }
}
