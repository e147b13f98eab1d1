package io.tiercel.kafka.receiver;

import static org.assertj.core.api.Assertions.assertThat;

import io.tiercel.core.pdata.Signal;
import io.tiercel.kafka.receiver.PartitionState.InFlight;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class PartitionStateTest {
  private final PartitionState st = new PartitionState(new TopicPartition("t", 0), Signal.TRACES,
      new RetryBackoff(KafkaReceiverConfig.DEFAULT_ERROR_BACKOFF, () -> 0.5));

  @Test
  void commitsOnlyTheContiguousFinishedPrefix() {
    assertThat(st.committable()).isEqualTo(-1);
    InFlight a = st.add(10, 100);
    InFlight b = st.add(11, 50);
    InFlight c = st.add(13, 25); // 12 is a gap (compaction or a control record)
    assertThat(st.committable()).isEqualTo(10);
    assertThat(st.inFlightRecords()).isEqualTo(3);
    assertThat(st.inFlightBytes()).isEqualTo(175);
    assertThat(st.complete(b)).isFalse();
    assertThat(st.complete(c)).isFalse();
    assertThat(st.committable()).isEqualTo(10);
    assertThat(st.complete(a)).isTrue();
    assertThat(st.committable()).isEqualTo(14);
    assertThat(st.inFlightRecords()).isZero();
    assertThat(st.inFlightBytes()).isZero();
    assertThat(st.complete(a)).isFalse();
    assertThat(st.commitPending()).isTrue();
    st.committed = 14;
    assertThat(st.commitPending()).isFalse();
  }

  @Test
  void rewindCancelsTheFailedRecordAndEverythingAfterIt() {
    InFlight a = st.add(0, 1);
    InFlight b = st.add(1, 1);
    InFlight c = st.add(2, 1);
    InFlight d = st.add(3, 1);
    assertThat(st.complete(c)).isFalse();
    assertThat(st.rewind(1)).isEqualTo(3);
    assertThat(b.cancelled).isTrue();
    assertThat(c.cancelled).isTrue();
    assertThat(d.cancelled).isTrue();
    assertThat(a.cancelled).isFalse();
    assertThat(st.nextOffset).isEqualTo(1);
    assertThat(st.inFlightRecords()).isEqualTo(1);
    assertThat(st.complete(d)).isFalse(); // late outcome of a cancelled record
    assertThat(st.complete(a)).isTrue();
    assertThat(st.committable()).isEqualTo(1);
    // the records come again, in order
    InFlight b2 = st.add(1, 1);
    assertThat(st.complete(b2)).isTrue();
    assertThat(st.committable()).isEqualTo(2);
  }

  @Test
  void rewindWithNothingBeforeSetsTheCommittableOffset() {
    st.add(5, 1);
    st.rewind(5);
    assertThat(st.committable()).isEqualTo(5);
    assertThat(st.inFlightRecords()).isZero();
  }

  @Test
  void closeIgnoresLateOutcomes() {
    InFlight a = st.add(0, 1);
    st.close();
    assertThat(st.complete(a)).isFalse();
    assertThat(st.committable()).isZero();
    assertThat(st.inFlightRecords()).isZero();
  }
}
