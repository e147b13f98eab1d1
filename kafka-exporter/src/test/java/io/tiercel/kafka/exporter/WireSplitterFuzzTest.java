package io.tiercel.kafka.exporter;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.tiercel.core.consumer.PermanentException;
import io.tiercel.core.pdata.MalformedDataException;
import io.tiercel.core.pdata.OtlpStructure;
import io.tiercel.core.pdata.Signal;
import io.tiercel.core.pdata.WireFormat;

/**
 * Fuzz target of the wire-level splitter and the item counter: any bytes are split or refused with
 * a {@link PermanentException} (counted or refused with a {@link MalformedDataException}); a
 * request that passes the edge's structural check splits into parts that pass it too and hold every
 * item once. Regression mode replays {@code WireSplitterFuzzTestInputs}.
 */
class WireSplitterFuzzTest {
  @FuzzTest(maxDuration = "30s")
  void split(FuzzedDataProvider in) {
    Signal signal = in.pickValue(Signal.values());
    WireSplitter.KeyBy keyBy =
        signal == Signal.METRICS
            ? in.pickValue(
                new WireSplitter.KeyBy[] {WireSplitter.KeyBy.NONE, WireSplitter.KeyBy.RESOURCE})
            : in.pickValue(WireSplitter.KeyBy.values());
    int maxBytes = in.consumeInt(1, 1 << 16);
    boolean emitOversized = in.consumeBoolean();
    byte[] data = in.consumeRemainingAsBytes();
    int valid;
    try {
      valid = OtlpStructure.check(signal, data);
    } catch (MalformedDataException e) {
      valid = -1;
    }
    int counted;
    try {
      counted = WireFormat.countItems(signal, data);
    } catch (MalformedDataException e) {
      counted = -1;
    }
    if (valid >= 0) {
      assertThat(counted).isEqualTo(valid);
    }
    WireSplitter.Result r;
    try {
      r = WireSplitter.split(signal, data, keyBy, maxBytes, emitOversized);
    } catch (PermanentException refused) {
      assertThat(valid).as("a valid request is never refused").isNegative();
      return;
    }
    if (valid < 0) {
      return;
    }
    int items = emitOversized ? 0 : r.oversizedItems();
    for (WireSplitter.Part p : r.parts()) {
      items += OtlpStructure.check(signal, p.value());
    }
    assertThat(items).isEqualTo(valid);
  }
}
