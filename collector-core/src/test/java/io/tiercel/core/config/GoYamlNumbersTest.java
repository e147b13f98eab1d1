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
 * Integers written with underscores (the collector's READMEs use {@code 100_000}), a leading zero
 * or a base prefix, as Go's YAML library reads them: numeric fields get the number, string fields
 * keep the text as written.
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

  @Test
  void leadingZeroIsOctalAndPrefixesPickTheBaseAsInGo() throws Exception {
    // Go's YAML library parses ints with strconv.ParseInt(s, 0, 64): 0123 is octal 83, like 0o123.
    assertThat(generator(load("spans_per_second: 0123\n")).spansPerSecond()).isEqualTo(83);
    assertThat(generator(load("spans_per_second: 0o123\n")).spansPerSecond()).isEqualTo(83);
    assertThat(generator(load("spans_per_second: 0O17\n")).spansPerSecond()).isEqualTo(15);
    assertThat(generator(load("spans_per_second: 0x1F\n")).spansPerSecond()).isEqualTo(31);
    assertThat(generator(load("spans_per_second: 0b101\n")).spansPerSecond()).isEqualTo(5);
    assertThat(generator(load("max_items: -0123\n")).maxItems()).isEqualTo(-83);
    assertThat(generator(load("spans_per_second: 0_123\n")).spansPerSecond()).isEqualTo(83);
    assertThat(generator(load("spans_per_second: 0\n")).spansPerSecond()).isZero();
    // not octal (8 and 9 are no octal digits): Go's YAML reads the decimal float
    assertThat(generator(load("ratio: 089\n")).ratio()).isEqualTo(89.0);
  }

  @Test
  void stringFieldsKeepOctalAndPrefixedIntsAsWritten() throws Exception {
    GeneratorConfig g =
        generator(
            load(
                """
                service_name: 0123
                attributes: {mode: 0o750, mask: 0x1F}
                tags: [0755, 0b11]
                """));
    assertThat(g.serviceName()).isEqualTo("0123");
    assertThat(g.attributes()).containsEntry("mode", "0o750").containsEntry("mask", "0x1F");
    assertThat(g.tags()).containsExactly("0755", "0b11");
  }
}
