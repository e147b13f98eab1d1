package io.tiercel.core.component;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tiercel.core.config.PipelineId;
import io.tiercel.core.pdata.Signal;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ComponentIdTest {
  @Test
  void parsesTypeAndName() {
    assertThat(ComponentId.parse("kafka/traces")).isEqualTo(new ComponentId("kafka", "traces"));
    assertThat(ComponentId.parse("otlp")).isEqualTo(ComponentId.of("otlp"));
    assertThat(ComponentId.parse("kafka/a/b").name()).isEqualTo("a/b");
    assertThat(ComponentId.parse(" batch / x ").toString()).isEqualTo("batch/x");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "1kafka|invalid character(s) in type \"1kafka\": it must start with a letter and hold only"
            + " letters, digits and '_' (at most 63)",
        "kafka/|in \"kafka/\" id: the part after / should not be empty",
        "ka-fka|invalid character(s) in type \"ka-fka\": it must start with a letter and hold only"
            + " letters, digits and '_' (at most 63)",
        "kafka/a b|invalid character(s) in name \"a b\""
      })
  void rejectsBadIds(String id, String message) {
    assertThatThrownBy(() -> ComponentId.parse(id))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(message);
  }

  @Test
  void pipelineIds() {
    assertThat(PipelineId.parse("traces/backend"))
        .isEqualTo(new PipelineId(Signal.TRACES, "backend"));
    assertThat(PipelineId.parse("logs").toString()).isEqualTo("logs");
    assertThatThrownBy(() -> PipelineId.parse("spans"))
        .hasMessage("pipeline type \"spans\" is not one of traces, metrics, logs, profiles");
  }
}
