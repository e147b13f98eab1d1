package io.tiercel.kafka.receiver;

import io.tiercel.core.util.ThrottledLogger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RebalanceInProgressException;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;

/**
 * Commits the finished prefix of each assigned partition and measures the partitions' lag. Poll
 * thread only: it uses the receiver's consumer and partition states.
 */
final class OffsetCommits {
  private static final Duration LAG_TIMEOUT = Duration.ofMillis(500);

  private final String id;
  private final Logger logger;
  private final ThrottledLogger errorLog;
  private final Consumer<byte[], byte[]> consumer;
  private final Map<TopicPartition, PartitionState> partitions;

  OffsetCommits(
      String id,
      Logger logger,
      ThrottledLogger errorLog,
      Consumer<byte[], byte[]> consumer,
      Map<TopicPartition, PartitionState> partitions) {
    this.id = id;
    this.logger = logger;
    this.errorLog = errorLog;
    this.consumer = consumer;
    this.partitions = partitions;
  }

  private Map<TopicPartition, OffsetAndMetadata> pendingCommits(Collection<PartitionState> states) {
    Map<TopicPartition, OffsetAndMetadata> m = new HashMap<>();
    for (PartitionState st : states) {
      if (st.commitPending()) {
        m.put(st.tp, new OffsetAndMetadata(st.committable()));
      }
    }
    return m;
  }

  /** Commits, without waiting, every partition whose committable offset moved. */
  void commitAsync() {
    Map<TopicPartition, OffsetAndMetadata> m = pendingCommits(partitions.values());
    if (m.isEmpty()) {
      return;
    }
    m.forEach((tp, om) -> partitions.get(tp).committed = om.offset());
    consumer.commitAsync(
        m,
        (offsets, ex) -> {
          if (ex != null) {
            errorLog.warn(
                id + ": offset commit failed (retried at the next interval): " + ex, null);
            offsets.forEach(
                (tp, om) -> {
                  PartitionState st = partitions.get(tp);
                  if (st != null && st.committed == om.offset()) {
                    st.committed = -1;
                  }
                });
          } else {
            offsets.forEach(
                (tp, om) -> {
                  PartitionState st = partitions.get(tp);
                  if (st != null) {
                    st.metrics.offset.set(om.offset());
                  }
                });
          }
        });
  }

  /**
   * Commits the finished prefix of {@code states} and waits for it. With {@code mayPoll} (only
   * outside rebalance callbacks, with every partition paused), a commit refused because a rebalance
   * is under way is retried after a poll completes the rebalance (our callbacks commit what is
   * revoked), as the client advises.
   */
  void commitSync(Collection<PartitionState> states, Duration timeout, boolean mayPoll) {
    long until = System.nanoTime() + timeout.toNanos();
    for (int attempt = 0; attempt < 4; attempt++) {
      List<PartitionState> open = states.stream().filter(st -> !st.closed).toList();
      Map<TopicPartition, OffsetAndMetadata> m = pendingCommits(open);
      long left = until - System.nanoTime();
      if (m.isEmpty() || left <= 0) {
        return;
      }
      try {
        consumer.commitSync(m, Duration.ofNanos(left));
        m.forEach(
            (tp, om) -> {
              PartitionState st = partitions.get(tp);
              if (st != null) {
                st.committed = om.offset();
                st.metrics.offset.set(om.offset());
              }
            });
        return;
      } catch (WakeupException e) {
        // a shutdown wakeup hit the commit: try again
      } catch (RebalanceInProgressException e) {
        if (!mayPoll) {
          logger.warn(
              "{}: offset commit of {} refused during a rebalance; the next owner re-reads from the"
                  + " last commit",
              id,
              m.keySet());
          return;
        }
        try {
          consumer.poll(
              Duration.ofMillis(Math.min(200, Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)))));
        } catch (KafkaException pe) { // includes a shutdown wakeup
          logger.debug("poll to complete a rebalance", pe);
        }
      } catch (KafkaException e) {
        logger.warn("{}: offset commit of {} failed: {}", id, m.keySet(), e.toString());
        return;
      }
    }
  }

  /**
   * Sets {@code offset_lag} per partition: the log end offset (one ListOffsets request for the
   * assignment, at most every few seconds, bounded by a short timeout) minus the committable
   * offset. The client's cached {@code currentLag} is not used: it goes stale while a partition is
   * paused, which is when the lag matters.
   */
  void updateLag() {
    List<TopicPartition> known = new ArrayList<>();
    for (PartitionState st : partitions.values()) {
      if (st.committable() >= 0) {
        known.add(st.tp);
      }
    }
    if (known.isEmpty()) {
      return;
    }
    Map<TopicPartition, Long> ends;
    try {
      ends = consumer.endOffsets(known, LAG_TIMEOUT);
    } catch (KafkaException e) {
      return; // try again at the next interval
    }
    ends.forEach(
        (tp, end) -> {
          PartitionState st = partitions.get(tp);
          if (st != null && end != null && st.committable() >= 0) {
            st.lag = Math.max(0, end - st.committable());
            st.metrics.lag.set(st.lag);
          }
        });
  }
}
