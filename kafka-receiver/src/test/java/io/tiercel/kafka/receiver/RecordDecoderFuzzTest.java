package io.tiercel.kafka.receiver;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.tiercel.core.consumer.PermanentException;
import io.tiercel.core.pdata.OtlpData;
import io.tiercel.core.pdata.Signal;
import io.tiercel.kafka.common.encoding.RecordEncoding;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;

/**
 * Fuzz target of the Kafka record decoders of every encoding: a record value decodes to data that
 * every later stage can read, or is refused with a {@link PermanentException} (the dead-letter
 * path); nothing else escapes. Regression mode replays {@code RecordDecoderFuzzTestInputs}.
 */
class RecordDecoderFuzzTest {
  private static final RecordDecoder DECODER = new RecordDecoder(HeaderExtraction.NONE);

  @FuzzTest(maxDuration = "30s")
  void decode(FuzzedDataProvider in) {
    Signal signal = in.pickValue(Signal.values());
    RecordEncoding encoding = in.pickValue(RecordEncoding.values());
    byte[] value = in.consumeRemainingAsBytes();
    ConsumerRecord<byte[], byte[]> record =
        new ConsumerRecord<>(
            "fuzz",
            0,
            0L,
            0L,
            TimestampType.CREATE_TIME,
            0,
            value.length,
            null,
            value,
            new RecordHeaders(),
            Optional.empty());
    OtlpData data;
    try {
      data = DECODER.decode(signal, encoding, record);
    } catch (PermanentException refused) {
      return;
    }
    // what is let through, a processor can parse
    assertThat(data.checkStructure()).isEqualTo(data.itemCount());
    assertThat(OtlpData.ofBytes(signal, data.bytes()).checkStructure()).isEqualTo(data.itemCount());
  }
}
