package io.tiercel.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tiercel.core.component.ComponentId;
import io.tiercel.core.config.TestFactories.GeneratorConfig;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Integers written with underscores, as Go's YAML library reads them (the collector's READMEs use
 * {@code 100_000}): numeric fields get the number, string fields keep the text as written.
 */
class GoYamlNumbersTest {
  private static ServiceConfig load(String generator) throws ConfigException {
    String yaml =
        "receivers:\n  generator:\n"
            + generator.indent(4)
            + "exporters: {logs_only: }\n"
            + "service: {pipelines: {logs: {receivers: [generator], exporters: [logs_only]}}}\n";
    return new ConfigLoader(TestFactories.registry(), Map.of("CFG", yaml)::get)
        .load(List.of("env:CFG"), List.of());
  }

  private static GeneratorConfig generator(ServiceConfig c) {
    return (GeneratorConfig) c.receivers().get(ComponentId.of("generator")).config();
  }

  @Test
  void underscoresGroupDigitsOfIntsLongsDoublesAndDurations() throws Exception {
    GeneratorConfig g =
        generator(
            load(
                """
                spans_per_second: 100_000
                max_items: 10_000_000_000
                ratio: 1_0
                interval: 1_000
                """));
    assertThat(g.spansPerSecond()).isEqualTo(100_000);
    assertThat(g.maxItems()).isEqualTo(10_000_000_000L);
    assertThat(g.ratio()).isEqualTo(10.0);
    assertThat(g.interval()).isEqualTo(Duration.ofNanos(1_000)); // a bare int is nanoseconds
  }

  @Test
  void stringFieldsKeepTheTextAsWritten() throws Exception {
    GeneratorConfig g =
        generator(
            load(
                """
                service_name: 2024_06
                attributes: {build: 1_000, quoted: '5_5'}
                tags: [1_2, -3_4_]
                """));
    assertThat(g.serviceName()).isEqualTo("2024_06");
    assertThat(g.attributes()).containsEntry("build", "1_000").containsEntry("quoted", "5_5");
    assertThat(g.tags()).containsExactly("1_2", "-3_4_");
  }

  @Test
  void quotedOrNonNumericTextIsNotANumber() {
    assertThatThrownBy(() -> load("spans_per_second: '100_000'\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessage("receivers.generator.spans_per_second: expected an int, got \"100_000\"");
    assertThatThrownBy(() -> load("spans_per_second: _100\n"))
        .hasMessage("receivers.generator.spans_per_second: expected an int, got \"_100\"");
    assertThatThrownBy(() -> load("spans_per_second: 1_0x\n"))
        .hasMessage("receivers.generator.spans_per_second: expected an int, got \"1_0x\"");
  }
}
