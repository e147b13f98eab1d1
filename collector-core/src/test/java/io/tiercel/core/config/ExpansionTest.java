package io.tiercel.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tiercel.core.component.ComponentId;
import io.tiercel.core.config.TestFactories.GeneratorConfig;
import io.tiercel.core.config.TestFactories.KafkaConfig;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ExpansionTest {
  private static final Map<String, String> ENV =
      Map.of(
          "PORT", "4317",
          "HOST", "collector.local",
          "RATE", "2500",
          "ENABLED", "false",
          "ZERO_LEADING", "0123",
          "PASSWORD", "p#ss: 'word'",
          "BROKERS", "[k1:9092, k2:9092]",
          "ATTRS", "{team: obs, tier: 1}",
          "EMPTY", "",
          "DOLLAR", "a$$b${HOST}");

  private final ConfigLoader loader = new ConfigLoader(TestFactories.registry(), ENV::get);

  private Map<String, Object> raw(String yaml) throws ConfigException {
    return loader.loadRaw(List.of("yaml:" + yaml), List.of());
  }

  @Test
  void wholeValueIsParsedAsYamlAndPartsAreSplicedAsText() throws Exception {
    Map<String, Object> r =
        raw(
            """
            a:
              port: ${env:PORT}
              endpoint: ${env:HOST}:${PORT}
              brokers: ${env:BROKERS}
              attrs: ${ATTRS}
              enabled: ${env:ENABLED}
              literal: $${env:PORT} costs $$5 and $HOST
              keep: ${DOLLAR}
              empty: ${env:EMPTY}
              defaulted: ${env:NOT_SET:-localhost:4318}
              default_int: ${NOT_SET:-42}
              set_but_empty_wins: ${env:EMPTY:-x}
              ${env:PORT}: key-not-expanded
            """);
    @SuppressWarnings("unchecked")
    Map<String, Object> a = (Map<String, Object>) r.get("a");
    assertThat(a.get("port")).isEqualTo(new ExpandedValue(4317, "4317"));
    assertThat(a.get("endpoint")).isEqualTo("collector.local:4317");
    assertThat(a.get("brokers"))
        .isEqualTo(new ExpandedValue(List.of("k1:9092", "k2:9092"), "[k1:9092, k2:9092]"));
    assertThat(a.get("attrs"))
        .isEqualTo(new ExpandedValue(Map.of("team", "obs", "tier", 1), "{team: obs, tier: 1}"));
    assertThat(a.get("enabled")).isEqualTo(new ExpandedValue(false, "false"));
    assertThat(a.get("literal")).isEqualTo("${env:PORT} costs $5 and $HOST");
    assertThat(a.get("keep")).isEqualTo("a$$b${HOST}"); // expanded text is not expanded again
    assertThat(a.get("empty")).isEqualTo("");
    assertThat(a.get("defaulted")).isEqualTo("localhost:4318");
    assertThat(a.get("default_int")).isEqualTo(new ExpandedValue(42, "42"));
    assertThat(a.get("set_but_empty_wins")).isEqualTo("");
    assertThat(a.get("${env:PORT}")).isEqualTo("key-not-expanded");
  }

  @Test
  void expandedValuesBindByTargetType() throws Exception {
    ServiceConfig c =
        loader.load(
            List.of(
                "yaml:"
                    + """
                    receivers:
                      generator:
                        spans_per_second: ${env:RATE}
                        service_name: ${env:ZERO_LEADING}
                        enabled: ${ENABLED}
                        attributes: {code: "${env:ZERO_LEADING}"}
                        interval: ${env:RATE}
                    exporters:
                      kafka:
                        brokers: ${env:BROKERS}
                        auth: {username: u, password: "${env:PASSWORD}"}
                        client_timeout_ms: ${RATE}
                    service:
                      pipelines:
                        traces: {receivers: [generator], exporters: [kafka]}
                    """),
            List.of());
    GeneratorConfig g = (GeneratorConfig) c.receivers().get(ComponentId.of("generator")).config();
    assertThat(g.spansPerSecond()).isEqualTo(2500);
    assertThat(g.serviceName()).isEqualTo("0123"); // a string field keeps the text, not the int 123
    assertThat(g.enabled()).isFalse();
    assertThat(g.attributes()).containsExactly(Map.entry("code", "0123"));
    assertThat(g.interval()).isEqualTo(Duration.ofNanos(2500)); // a bare integer is nanoseconds
    KafkaConfig k = (KafkaConfig) c.exporters().get(ComponentId.of("kafka")).config();
    assertThat(k.brokers()).containsExactly("k1:9092", "k2:9092");
    assertThat(k.auth().password().value())
        .isEqualTo("p#ss: 'word'"); // not parsed as YAML: it is a string
    assertThat(k.clientTimeoutMs()).isEqualTo(2500L);
  }

  @Test
  void structuralValuesMayComeFromVariables() throws Exception {
    ConfigLoader l =
        new ConfigLoader(
            TestFactories.registry(),
            Map.of(
                    "RECEIVERS", "{generator: {spans_per_second: 7}}",
                    "PIPELINES", "{traces: {receivers: [generator], exporters: [kafka]}}")
                ::get);
    ServiceConfig c =
        l.load(
            List.of(
                "yaml:"
                    + """
                    receivers: ${env:RECEIVERS}
                    exporters: {kafka: }
                    service:
                      pipelines: ${env:PIPELINES}
                      extensions: []
                    """),
            List.of());
    assertThat(
            ((GeneratorConfig) c.receivers().get(ComponentId.of("generator")).config())
                .spansPerSecond())
        .isEqualTo(7);
    assertThat(c.pipelines().values())
        .singleElement()
        .extracting(p -> p.exporters().get(0).toString())
        .isEqualTo("kafka");
  }

  @Test
  void laterSourceOverridesAnUnresolvableValueBeforeExpansion() throws Exception {
    Map<String, Object> r =
        loader.loadRaw(List.of("yaml:a: ${env:MISSING}", "yaml:a: fine"), List.of());
    assertThat(r).containsExactly(Map.entry("a", "fine"));
  }

  @Test
  void setValuesAreExpandedToo() throws Exception {
    Map<String, Object> r =
        loader.loadRaw(List.of("yaml:a: 1"), List.of("b=${env:HOST}", "c=$${x}"));
    assertThat(r).containsEntry("b", "collector.local").containsEntry("c", "${x}");
  }

  @Test
  void everyUnresolvedReferenceIsReported() {
    assertThatThrownBy(
            () ->
                raw(
                    """
                    a:
                      - ${env:A}
                      - x${B}y
                    b:
                      c: ${env:C:-ok} ${env:D}
                    """))
        .isInstanceOf(ConfigException.class)
        .hasMessage(
            """
            a[0]: environment variable "A" is not set and ${env:A} has no default
            a[1]: environment variable "B" is not set and ${B} has no default
            b.c: environment variable "D" is not set and ${env:D} has no default\
            """);
  }
}
