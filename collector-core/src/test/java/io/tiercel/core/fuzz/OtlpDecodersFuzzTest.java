package io.tiercel.core.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.google.protobuf.InvalidProtocolBufferException;
import io.opentelemetry.proto.logs.v1.LogsData;
import io.opentelemetry.proto.metrics.v1.MetricsData;
import io.opentelemetry.proto.profiles.v1development.ProfilesData;
import io.opentelemetry.proto.trace.v1.TracesData;
import io.tiercel.core.pdata.Logs;
import io.tiercel.core.pdata.MalformedDataException;
import io.tiercel.core.pdata.Metrics;
import io.tiercel.core.pdata.OtlpData;
import io.tiercel.core.pdata.OtlpStructure;
import io.tiercel.core.pdata.Profiles;
import io.tiercel.core.pdata.Signal;
import io.tiercel.core.pdata.Traces;
import io.tiercel.core.pdata.WireFormat;
import io.tiercel.core.pdata.json.OtlpJson;
import io.tiercel.core.pdata.json.OtlpJsonException;

/**
 * Fuzz targets of the OTLP decoders: for protobuf, the edge's structural check, the item counter of
 * the wire walk and protobuf-java's parse, which must agree; for JSON, the decoder, which refuses
 * with its own exception only and round-trips what it accepts. Regression mode (every build)
 * replays the corpus in {@code src/test/resources/io/tiercel/core/fuzz/OtlpDecodersFuzzTestInputs};
 * see the README's testing section for fuzzing.
 */
class OtlpDecodersFuzzTest {
  @FuzzTest(maxDuration = "30s")
  void protobuf(byte[] input) {
    for (Signal signal : Signal.values()) {
      int checked;
      try {
        checked = OtlpStructure.check(signal, input);
      } catch (MalformedDataException refused) {
        checked = -1;
      }
      int parsed = parsedItems(signal, input);
      if (checked >= 0) {
        // what the edge accepts, every later stage can parse, with the items counted
        assertThat(parsed).isEqualTo(checked);
        assertThat(WireFormat.countItems(signal, input)).isEqualTo(checked);
      }
    }
  }

  /** OTLP/JSON: a body is decoded or refused with {@link OtlpJsonException}, nothing else. */
  @FuzzTest(maxDuration = "30s")
  void json(byte[] input) {
    for (Signal signal : Signal.values()) {
      if (signal == Signal.PROFILES) {
        continue; // profiles are protobuf only: there is no OTLP/JSON codec for them
      }
      try {
        OtlpData d = OtlpJson.decode(signal, input);
        // what decodes, encodes and decodes to the same
        assertThat(OtlpJson.decode(signal, OtlpJson.encode(d))).isEqualTo(d);
      } catch (OtlpJsonException refused) {
        // a refusal with a reason is the expected outcome for most inputs
      }
    }
  }

  private static int parsedItems(Signal signal, byte[] input) {
    try {
      return switch (signal) {
        case TRACES -> Traces.of(TracesData.parseFrom(input)).itemCount();
        case METRICS -> Metrics.of(MetricsData.parseFrom(input)).itemCount();
        case LOGS -> Logs.of(LogsData.parseFrom(input)).itemCount();
        case PROFILES -> Profiles.of(ProfilesData.parseFrom(input)).itemCount();
      };
    } catch (InvalidProtocolBufferException e) {
      return -1;
    }
  }
}
