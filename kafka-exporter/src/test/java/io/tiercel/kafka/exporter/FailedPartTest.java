package io.tiercel.kafka.exporter;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.proto.trace.v1.TracesData;
import io.tiercel.core.pdata.OtlpData;
import io.tiercel.core.pdata.Signal;
import io.tiercel.core.pdata.Traces;
import io.tiercel.kafka.common.encoding.RecordEncoding;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The failed part of an attempt is rebuilt from the values of the records that failed. */
class FailedPartTest {
  @ParameterizedTest
  @EnumSource(
      value = RecordEncoding.class,
      names = {"OTLP_PROTO", "OTLP_JSON"})
  void recordsThatFailedBecomeOneRequestHoldingExactlyTheirItems(RecordEncoding encoding)
      throws Exception {
    TracesData d = Gen.traces(2, 2, 3, 10, 12, 0);
    WireSplitter.Result split =
        RecordValues.split(
            encoding, Signal.TRACES, Traces.of(d), WireSplitter.KeyBy.TRACE_ID, 1_000_000);
    List<byte[]> failed = new ArrayList<>();
    Map<String, Integer> expected = new HashMap<>();
    Map<String, Integer> all = RecordValuesTest.spansByTrace(d);
    for (int i = 0; i < split.parts().size(); i += 3) {
      WireSplitter.Part p = split.parts().get(i);
      failed.add(p.value());
      String key = new String(p.key(), StandardCharsets.US_ASCII);
      expected.put(key, all.get(key));
    }
    OtlpData part = RecordValues.request(encoding, Signal.TRACES, failed);
    assertThat(part).isInstanceOf(Traces.class);
    TracesData parsed = TracesData.parseFrom(part.bytes());
    assertThat(RecordValuesTest.spansByTrace(parsed)).isEqualTo(expected);
    assertThat(part.itemCount()).isEqualTo(expected.values().stream().mapToInt(n -> n).sum());
  }
}
