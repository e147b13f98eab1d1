package io.tiercel.kafka.receiver;

import static org.assertj.core.api.Assertions.assertThat;

import io.tiercel.core.pdata.Signal;
import io.tiercel.kafka.receiver.PartitionState.InFlight;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class PartitionStateTest {
  private final PartitionState st = new PartitionState(new TopicPartition("t", 0), Signal.TRACES);

  /** Adds records at offsets {@code first, first + 1, ...} of the given sizes. */
  private InFlight[] add(long first, int... bytes) {
    InFlight[] r = new InFlight[bytes.length];
    for (int i = 0; i < bytes.length; i++) {
      r[i] = st.add(first + i, bytes[i]);
    }
    return r;
  }

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
  void aRecordWaitingToRetryKeepsItsPlaceWhileLaterRecordsFinish() {
    InFlight[] r = add(0, 10, 20, 30, 40);
    InFlight a = r[0];
    InFlight b = r[1];
    st.scheduleRetry(b, 1_000);
    assertThat(st.retryWaiting()).isTrue();
    assertThat(st.inFlightRecords()).isEqualTo(4);
    assertThat(st.busyRecords()).isEqualTo(3);
    assertThat(st.inFlightBytes()).as("the kept record still counts in the bound").isEqualTo(100);
    assertThat(st.complete(r[2])).isFalse();
    assertThat(st.complete(r[3])).isFalse();
    assertThat(st.busyRecords()).as("finished records behind are not busy").isEqualTo(1);
    assertThat(st.complete(a)).isTrue();
    assertThat(st.committable()).as("never past the waiting record").isEqualTo(1);
    assertThat(st.inFlightRecords()).isEqualTo(3);
    assertThat(st.unfinishedRecords()).isEqualTo(1);
    assertThat(st.busyRecords()).isZero();
    assertThat(st.inFlightBytes()).isEqualTo(90);
    assertThat(st.nextOffset)
        .as("dispatching goes on after the last record, not back")
        .isEqualTo(4);

    assertThat(st.dueRetries(999)).isEmpty();
    assertThat(st.dueRetries(1_000)).containsExactly(b);
    assertThat(st.retryWaiting()).isFalse();
    assertThat(st.busyRecords()).isEqualTo(1);
    assertThat(st.complete(b)).isTrue();
    assertThat(st.committable()).as("the finished records after it count at once").isEqualTo(4);
    assertThat(st.inFlightRecords()).isZero();
    assertThat(st.inFlightBytes()).isZero();
  }

  @Test
  void severalWaitingRecordsProbeWithTheLowestOffsetOneAtItsOwnTime() {
    InFlight[] r = add(5, 1, 1, 1); // offsets 5, 6, 7
    st.scheduleRetry(r[2], 100);
    st.scheduleRetry(r[0], 300);
    st.scheduleRetry(r[1], 200);
    assertThat(st.waitingRecords()).isEqualTo(3);
    assertThat(st.dueRetries(250)).as("the probe is the lowest offset, at its own time").isEmpty();
    assertThat(st.dueRetries(300)).containsExactly(r[0]);
    assertThat(st.dueRetries(10_000))
        .as("one probe out at a time: the others wait for its outcome")
        .isEmpty();
    st.scheduleRetry(r[0], 500); // the probe was refused again
    assertThat(st.dueRetries(499)).isEmpty();
    assertThat(st.dueRetries(500)).containsExactly(r[0]);
    assertThat(st.waitingRecords()).isEqualTo(2);
    // the probe is accepted: the pipeline takes data again, so every waiting record goes at once,
    // in offset order
    st.releaseWaiting();
    assertThat(st.complete(r[0])).isTrue();
    assertThat(st.committable()).isEqualTo(6);
    assertThat(st.dueRetries(501)).containsExactly(r[1], r[2]);
    assertThat(st.retryWaiting()).isFalse();
    assertThat(st.complete(r[2])).isFalse();
    assertThat(st.complete(r[1])).isTrue();
    assertThat(st.committable()).isEqualTo(8);
    assertThat(st.unfinishedRecords()).isZero();
    assertThat(st.busyRecords()).isZero();
  }

  @Test
  void aProbeThatFinishesWithoutTheBackendLetsTheNextWaitForItsOwnTime() {
    InFlight[] r = add(0, 1, 1); // offsets 0, 1
    st.scheduleRetry(r[0], 100);
    st.scheduleRetry(r[1], 900);
    assertThat(st.dueRetries(100)).containsExactly(r[0]);
    assertThat(st.complete(r[0]))
        .as("skipped or dead-lettered: finished, but nothing was accepted")
        .isTrue();
    assertThat(st.dueRetries(899)).isEmpty();
    assertThat(st.dueRetries(900)).containsExactly(r[1]);
  }

  @Test
  void aReleaseWithNothingWaitingIsForgotten() {
    InFlight[] r = add(0, 1);
    st.releaseWaiting();
    st.scheduleRetry(r[0], 100);
    assertThat(st.dueRetries(50))
        .as("an earlier acceptance does not release a later refusal")
        .isEmpty();
    assertThat(st.dueRetries(100)).containsExactly(r[0]);
  }

  @Test
  void closeDropsWaitingRecordsAndTheCommittableOffsetStaysAtTheFirstOfThem() {
    InFlight[] r = add(0, 1, 1, 1);
    InFlight b = r[1];
    st.scheduleRetry(b, 0);
    assertThat(st.complete(r[0])).isTrue();
    assertThat(st.complete(r[2])).isFalse();
    assertThat(st.committable()).isEqualTo(1);
    st.close();
    assertThat(b.cancelled).isTrue();
    assertThat(b.record).isNull();
    assertThat(st.retryWaiting()).isFalse();
    assertThat(st.dueRetries(Long.MAX_VALUE)).isEmpty();
    assertThat(st.complete(b)).isFalse();
    assertThat(st.committable())
        .as("left to the next owner from the waiting record on")
        .isEqualTo(1);
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
