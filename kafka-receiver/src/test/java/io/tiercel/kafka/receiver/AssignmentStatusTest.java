package io.tiercel.kafka.receiver;

import static org.assertj.core.api.Assertions.assertThat;

import io.tiercel.core.pdata.Signal;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class AssignmentStatusTest {
  @Test
  void publishesTheAssignmentSortedWithOffsetsLagAndRecordsInFlight() {
    PartitionState p1 = new PartitionState(new TopicPartition("otlp_spans", 1), Signal.TRACES);
    PartitionState p0 = new PartitionState(new TopicPartition("otlp_spans", 0), Signal.TRACES);
    p1.add(40, 100);
    p1.add(41, 50);
    p1.complete(p1.add(42, 10)); // finished behind 40 and 41: still in flight
    p1.committed = 40;
    p1.lag = 9;
    AssignmentStatus s = new AssignmentStatus("tiercel-processing");
    assertThat(s.snapshot()).containsEntry("partitions", List.of());

    s.publish(List.of(p1, p0));
    Map<String, Object> snap = s.snapshot();
    assertThat(snap)
        .containsEntry("group_id", "tiercel-processing")
        .containsEntry("in_flight_records", 3L)
        .containsEntry("in_flight_bytes", 160L);
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> parts = (List<Map<String, Object>>) snap.get("partitions");
    assertThat(parts).extracting(p -> p.get("partition")).containsExactly(0, 1);
    assertThat(parts.get(0))
        .containsEntry("committed_offset", null)
        .containsEntry("lag", null)
        .containsEntry("in_flight_records", 0);
    assertThat(parts.get(1))
        .containsEntry("committed_offset", 40L)
        .containsEntry("committable_offset", 40L)
        .containsEntry("lag", 9L)
        .containsEntry("in_flight_records", 3)
        .containsEntry("paused", false);

    s.publishIfDue(List.of(p0), 0); // due: nothing was published through publishIfDue yet
    s.publishIfDue(List.of(p1, p0), 1000); // not due again within half a second
    assertThat((List<?>) s.snapshot().get("partitions")).hasSize(1);
  }
}
