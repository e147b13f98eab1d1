package io.tiercel.core.telemetry.logs;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.impl.Log4jLogEvent;
import org.apache.logging.log4j.core.time.MutableInstant;
import org.apache.logging.log4j.message.ParameterizedMessage;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/** The JSON log line: the collector's keys, exact text, component attributes, errors, escaping. */
class JsonLogLayoutTest {
  private static final long TS = 1_795_000_000_123L; // 2026-11-18T11:06:40.123Z

  private static LogEvent event(Level level, String logger, String pattern, Object... args) {
    MutableInstant at = new MutableInstant();
    at.initFromEpochMilli(TS, 0);
    return Log4jLogEvent.newBuilder()
        .setLevel(level)
        .setLoggerName(logger)
        .setThreadName("main")
        .setMessage(new ParameterizedMessage(pattern, args))
        .setInstant(at)
        .build();
  }

  /**
   * Parses one line as JSON (JSON is a subset of the YAML SnakeYAML reads, for what this layout
   * writes).
   */
  @SuppressWarnings("unchecked")
  private static Map<String, Object> parse(String line) {
    assertThat(line).endsWith("}\n").doesNotContain("\n}").hasLineCount(1);
    return (Map<String, Object>) new Yaml().load(line);
  }

  @Test
  void aLifecycleLineHasTheCollectorsKeys() {
    String line =
        new JsonLogLayout()
            .toSerializable(
                event(
                    Level.INFO,
                    "io.tiercel.core.service.Service",
                    "Everything is ready. Begin running and processing data."));
    assertThat(line)
        .isEqualTo(
            "{\"level\":\"info\",\"ts\":\"2026-11-18T11:06:40.123Z\","
                + "\"logger\":\"io.tiercel.core.service.Service\",\"msg\":\"Everything is ready."
                + " Begin running and processing data.\",\"thread\":\"main\"}\n");
  }

  @Test
  void aComponentsLoggerAddsItsIdAndKind() {
    Map<String, Object> m =
        parse(
            new JsonLogLayout()
                .toSerializable(
                    event(
                        Level.WARN,
                        "io.tiercel.exporter.kafka/traces",
                        "Exporter {}: {}",
                        "kafka/traces",
                        "slow")));
    assertThat(m)
        .containsEntry("level", "warn")
        .containsEntry("msg", "Exporter kafka/traces: slow")
        .containsEntry("otelcol.component.id", "kafka/traces")
        .containsEntry("otelcol.component.kind", "exporter");
    // io.tiercel.processors.* is a package, not a component logger; io.tiercel.exporter. alone has
    // no id
    assertThat(
            parse(
                new JsonLogLayout()
                    .toSerializable(event(Level.INFO, "io.tiercel.processors.batch.X", "m"))))
        .doesNotContainKey("otelcol.component.id");
    assertThat(
            parse(
                new JsonLogLayout().toSerializable(event(Level.INFO, "io.tiercel.exporter.", "m"))))
        .doesNotContainKey("otelcol.component.id");
    assertThat(
            parse(
                new JsonLogLayout()
                    .toSerializable(event(Level.DEBUG, "io.tiercel.extension.health_check", "m"))))
        .containsEntry("level", "debug")
        .containsEntry("otelcol.component.id", "health_check")
        .containsEntry("otelcol.component.kind", "extension");
  }

  @Test
  void anErrorCarriesTheThrowableAndItsStackOnTheSameLine() {
    IllegalStateException boom = new IllegalStateException("broker \"b1\" down\nretrying");
    LogEvent e =
        Log4jLogEvent.newBuilder()
            .setLevel(Level.ERROR)
            .setLoggerName("io.tiercel.receiver.otlp")
            .setMessage(new ParameterizedMessage("start failed"))
            .setThrown(boom)
            .setTimeMillis(TS)
            .build();
    String line = new JsonLogLayout().toSerializable(e);
    Map<String, Object> m = parse(line);
    assertThat(m)
        .containsEntry("level", "error")
        .containsEntry("msg", "start failed")
        .containsEntry("error", "java.lang.IllegalStateException: broker \"b1\" down\nretrying");
    assertThat((String) m.get("stacktrace"))
        .startsWith(
            "java.lang.IllegalStateException: broker \"b1\" down\n"
                + "retrying\n"
                + "\tat io.tiercel.core.telemetry.logs.JsonLogLayoutTest.anErrorCarriesTheThrowableAndItsStack");
  }

  @Test
  void controlCharactersQuotesAndLoneSurrogatesAreEscaped() {
    String line =
        new JsonLogLayout()
            .toSerializable(
                event(Level.INFO, "x", "a\"b\\c\td\re\u0001f\u2028g\uD800h\uD83D\uDE00"));
    assertThat(line).contains("\"msg\":\"a\\\"b\\\\c\\td\\re\\u0001f\\u2028g\uFFFDh\uD83D\uDE00\"");
    assertThat(parse(line)).containsEntry("msg", "a\"b\\c\td\re\u0001f\u2028g\uFFFDh\uD83D\uDE00");
  }
}
