package io.tiercel.core.pdata.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tiercel.core.pdata.Signal;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** OTLP/JSON export responses and error statuses, as an OTLP/HTTP client reads them. */
class OtlpJsonResponsesTest {
  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void partialSuccessPerSignalInEitherKeyFormAndIntegerForm() {
    assertThat(
            OtlpJson.decodePartialSuccess(
                Signal.TRACES,
                utf8(
                    "{\"partialSuccess\":{\"rejectedSpans\":\"3\",\"errorMessage\":\"too old\"}}")))
        .isEqualTo(new OtlpJson.PartialSuccess(3, "too old"));
    assertThat(
            OtlpJson.decodePartialSuccess(
                Signal.METRICS,
                utf8("{\"partial_success\":{\"rejected_data_points\":7,\"extra\":[1,{}]}}")))
        .isEqualTo(new OtlpJson.PartialSuccess(7, ""));
    assertThat(
            OtlpJson.decodePartialSuccess(
                Signal.LOGS, utf8("{\"partialSuccess\":{\"rejectedLogRecords\":1}}")))
        .isEqualTo(new OtlpJson.PartialSuccess(1, ""));
    // another signal's key is not this signal's count
    assertThat(
            OtlpJson.decodePartialSuccess(
                Signal.LOGS, utf8("{\"partialSuccess\":{\"rejectedSpans\":1}}")))
        .isEqualTo(new OtlpJson.PartialSuccess(0, ""));
    assertThat(OtlpJson.decodePartialSuccess(Signal.TRACES, utf8("{}")))
        .isEqualTo(new OtlpJson.PartialSuccess(0, ""));
    assertThatThrownBy(() -> OtlpJson.decodePartialSuccess(Signal.TRACES, utf8("ok")))
        .isInstanceOf(OtlpJsonException.class);
  }

  @Test
  void statusMessage() {
    assertThat(
            OtlpJson.decodeStatusMessage(
                utf8("{\"code\":3,\"message\":\"bad \\\"data\\\"\",\"details\":[]}")))
        .isEqualTo("bad \"data\"");
    assertThat(OtlpJson.decodeStatusMessage(utf8("{\"code\":14}"))).isEmpty();
    assertThatThrownBy(() -> OtlpJson.decodeStatusMessage(utf8("[]")))
        .isInstanceOf(OtlpJsonException.class);
  }
}
