package io.tiercel.kafka.receiver;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The receiver's assignment as the status page shows it ({@code LiveStatus}): the poll thread,
 * which alone may read the {@link PartitionState}s, publishes an immutable copy at most every
 * {@link #EVERY_NANOS} and at every rebalance; any thread reads the last copy.
 */
final class AssignmentStatus {
  private static final long EVERY_NANOS = TimeUnit.MILLISECONDS.toNanos(500);

  private final String groupId;
  private volatile List<Map<String, Object>> partitions = List.of();
  private long next; // poll thread only

  AssignmentStatus(String groupId) {
    this.groupId = groupId;
  }

  /** Publishes when the last copy is older than the interval (poll thread). */
  void publishIfDue(Collection<PartitionState> states, long nowNanos) {
    if (nowNanos - next >= 0) {
      publish(states);
      next = nowNanos + EVERY_NANOS;
    }
  }

  /** Publishes a copy of {@code states} now (poll thread). */
  void publish(Collection<PartitionState> states) {
    List<Map<String, Object>> out = new ArrayList<>(states.size());
    List<PartitionState> sorted = new ArrayList<>(states);
    sorted.sort(
        Comparator.comparing((PartitionState s) -> s.tp.topic())
            .thenComparingInt(s -> s.tp.partition()));
    for (PartitionState st : sorted) {
      Map<String, Object> p = new LinkedHashMap<>();
      p.put("topic", st.tp.topic());
      p.put("partition", st.tp.partition());
      p.put("committed_offset", st.committed < 0 ? null : st.committed);
      p.put("committable_offset", st.committable() < 0 ? null : st.committable());
      p.put("lag", st.lag < 0 ? null : st.lag);
      p.put("in_flight_records", st.inFlightRecords());
      p.put("in_flight_bytes", st.inFlightBytes());
      p.put("paused", st.paused);
      out.add(p);
    }
    partitions = List.copyOf(out);
  }

  /** The last published copy (any thread). */
  Map<String, Object> snapshot() {
    List<Map<String, Object>> ps = partitions;
    long records = 0;
    long bytes = 0;
    for (Map<String, Object> p : ps) {
      records += ((Number) p.get("in_flight_records")).longValue();
      bytes += ((Number) p.get("in_flight_bytes")).longValue();
    }
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("group_id", groupId);
    m.put("in_flight_records", records);
    m.put("in_flight_bytes", bytes);
    m.put("partitions", ps);
    return m;
  }
}
