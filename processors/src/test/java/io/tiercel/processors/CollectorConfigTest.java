package io.tiercel.processors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tiercel.core.component.ComponentId;
import io.tiercel.core.component.ComponentRegistry;
import io.tiercel.core.component.Consumers;
import io.tiercel.core.component.Exporter;
import io.tiercel.core.component.ExporterFactory;
import io.tiercel.core.component.Receiver;
import io.tiercel.core.component.ReceiverFactory;
import io.tiercel.core.component.Settings;
import io.tiercel.core.component.Stability;
import io.tiercel.core.config.ConfigError;
import io.tiercel.core.config.ConfigException;
import io.tiercel.core.config.ConfigLoader;
import io.tiercel.core.config.ServiceConfig;
import io.tiercel.core.pdata.Signal;
import io.tiercel.processors.filter.FilterConfig;
import io.tiercel.processors.filter.FilterFactory;
import io.tiercel.processors.ottl.context.OttlContext;
import io.tiercel.processors.transform.TransformConfig;
import io.tiercel.processors.transform.TransformFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * filter, transform and tail_sampling inside a whole collector config, loaded by the core config
 * loader.
 */
class CollectorConfigTest {
  /** No settings. */
  public record Empty() {}

  static final class FakeReceiverFactory implements ReceiverFactory<Empty> {
    @Override
    public String type() {
      return "fake";
    }

    @Override
    public Class<Empty> configClass() {
      return Empty.class;
    }

    @Override
    public Empty createDefaultConfig() {
      return new Empty();
    }

    @Override
    public Map<Signal, Stability> signals() {
      return Map.of(Signal.TRACES, Stability.ALPHA, Signal.LOGS, Stability.ALPHA);
    }

    @Override
    public Receiver create(Settings settings, Empty config, Consumers next) {
      throw new UnsupportedOperationException();
    }
  }

  static final class FakeExporterFactory implements ExporterFactory<Empty> {
    @Override
    public String type() {
      return "fake";
    }

    @Override
    public Class<Empty> configClass() {
      return Empty.class;
    }

    @Override
    public Empty createDefaultConfig() {
      return new Empty();
    }

    @Override
    public Map<Signal, Stability> signals() {
      return Map.of(Signal.TRACES, Stability.ALPHA, Signal.LOGS, Stability.ALPHA);
    }

    @Override
    public Exporter<io.tiercel.core.pdata.Traces> createTraces(Settings settings, Empty config) {
      throw new UnsupportedOperationException();
    }
  }

  private final ConfigLoader loader =
      new ConfigLoader(
          ComponentRegistry.of(
              List.of(
                  new FilterFactory(),
                  new TransformFactory(),
                  new io.tiercel.processors.tailsampling.TailSamplingFactory(),
                  new FakeReceiverFactory(),
                  new FakeExporterFactory())),
          Map.of("SERVICE", "checkout")::get);

  private ServiceConfig load(Path dir, String yaml) throws Exception {
    Path f = dir.resolve("config.yaml");
    Files.writeString(f, yaml);
    return loader.load(List.of(f.toString()), List.of());
  }

  @Test
  void processorsLoadWithEnvExpansionAndDollarEscapes(@TempDir Path dir) throws Exception {
    ServiceConfig sc =
        load(
            dir,
            """
            receivers:
              fake:
            processors:
              filter/health:
                error_mode: ignore
                trace_conditions:
                  - resource.attributes["service.name"] == "${env:SERVICE}" and span.name == "GET /health"
              transform:
                trace_statements:
                  - replace_pattern(span.name, "^kube_([0-9A-Za-z]+_)", "k8s.$$1.")
            exporters:
              fake:
            service:
              pipelines:
                traces:
                  receivers: [fake]
                  processors: [filter/health, transform]
                  exporters: [fake]
            """);
    FilterConfig f =
        (FilterConfig) sc.processors().get(ComponentId.parse("filter/health")).config();
    assertThat(f.conditions(Signal.TRACES))
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.condition().text())
                  .isEqualTo(
                      "resource.attributes[\"service.name\"] == \"checkout\" and span.name == \"GET"
                          + " /health\"");
              assertThat(r.condition().context()).isEqualTo(OttlContext.SPAN);
            });
    TransformConfig t =
        (TransformConfig) sc.processors().get(ComponentId.parse("transform")).config();
    assertThat(t.groups(Signal.TRACES).get(0).statements().get(0).text())
        .isEqualTo("replace_pattern(span.name, \"^kube_([0-9A-Za-z]+_)\", \"k8s.$1.\")");
  }

  @Test
  void badStatementsAreReportedAtTheirPathAllAtOnce(@TempDir Path dir) {
    assertThatThrownBy(
            () ->
                load(
                    dir,
                    """
                    receivers:
                      fake:
                    processors:
                      filter:
                        traces:
                          span:
                            - name == "a"
                            - IsMatch(name, "(")
                      transform:
                        log_statements:
                          - set(log.body, "x")
                          - set(log.bdy, "x")
                    exporters:
                      fake:
                    service:
                      pipelines:
                        traces:
                          receivers: [fake]
                          processors: [filter, transform]
                          exporters: [fake]
                    """))
        .isInstanceOfSatisfying(
            ConfigException.class,
            e ->
                assertThat(e.errors())
                    .containsExactly(
                        new ConfigError(
                            "processors.filter.traces.span[1]",
                            "invalid OTTL condition \"IsMatch(name, \"(\")\" at column 15: invalid"
                                + " regex pattern \"(\": Unclosed group near index 1"),
                        new ConfigError(
                            "processors.transform.log_statements[1]",
                            "invalid OTTL statement \"set(log.bdy, \"x\")\" at column 5:"
                                + " \"log.bdy\" is not a path of the log context: expected one of"
                                + " time_unix_nano, observed_time_unix_nano, time, observed_time,"
                                + " severity_number, severity_text, body, body.string, attributes,"
                                + " dropped_attributes_count, flags, trace_id, trace_id.string,"
                                + " span_id, span_id.string, event_name, cache")));
  }

  @Test
  void tailSamplingPolicyErrorsNameTheirPath(@TempDir Path dir) {
    assertThatThrownBy(
            () ->
                load(
                    dir,
                    """
                    receivers:
                      fake:
                    processors:
                      tail_sampling:
                        decision_wait: 5s
                        policies:
                          - {name: errors, type: status_code, status_code: {status_codes: [ERROR]}}
                          - {name: sample, type: probabilistic, probabilistic: {sampling_percentage: 10}}
                          - {name: slow, type: latency, latency: {threshold_ms: -1}}
                    exporters:
                      fake:
                    service:
                      pipelines:
                        traces:
                          receivers: [fake]
                          processors: [tail_sampling]
                          exporters: [fake]
                    """))
        .isInstanceOfSatisfying(
            ConfigException.class,
            e ->
                assertThat(e.errors())
                    .containsExactly(
                        new ConfigError(
                            "processors.tail_sampling.policies[2].latency.threshold_ms",
                            "must not be negative, got -1")));
  }

  @Test
  void tailSamplingWithoutPoliciesIsRejected(@TempDir Path dir) {
    assertThatThrownBy(
            () ->
                load(
                    dir,
                    """
                    receivers:
                      fake:
                    processors:
                      tail_sampling:
                        decision_wait: 5s
                    exporters:
                      fake:
                    service:
                      pipelines:
                        traces:
                          receivers: [fake]
                          processors: [tail_sampling]
                          exporters: [fake]
                    """))
        .isInstanceOfSatisfying(
            ConfigException.class,
            e ->
                assertThat(e.errors())
                    .containsExactly(
                        new ConfigError(
                            "processors.tail_sampling.policies",
                            "at least one policy is required")));
  }
}
