package io.tiercel.kafka.receiver;

import io.tiercel.core.config.Key;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.clients.consumer.RangeAssignor;
import org.apache.kafka.clients.consumer.RoundRobinAssignor;
import org.apache.kafka.clients.consumer.StickyAssignor;

/** {@code group_rebalance_strategies}: the partition assignors of the classic group protocol. */
public enum RebalanceStrategy {
  @Key("range")
  RANGE(RangeAssignor.class.getName()),
  @Key("roundrobin")
  ROUNDROBIN(RoundRobinAssignor.class.getName()),
  @Key("sticky")
  STICKY(StickyAssignor.class.getName()),
  @Key("cooperative-sticky")
  COOPERATIVE_STICKY(CooperativeStickyAssignor.class.getName());

  private final String assignor;

  RebalanceStrategy(String assignor) {
    this.assignor = assignor;
  }

  /** The assignor class for {@code partition.assignment.strategy}. */
  String assignor() {
    return assignor;
  }
}
