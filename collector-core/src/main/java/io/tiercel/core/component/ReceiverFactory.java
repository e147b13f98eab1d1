package io.tiercel.core.component;

import io.tiercel.core.pdata.Signal;
import java.util.Map;

/** Creates receivers. */
public non-sealed interface ReceiverFactory<C extends Record> extends Factory<C> {
  @Override
  default Kind kind() {
    return Kind.RECEIVER;
  }

  /** The signals supported, with their stability. */
  Map<Signal, Stability> signals();

  /**
   * Creates one receiver for a receiver id, feeding every pipeline that lists it: {@code next}
   * holds a consumer per signal in use (the fan-out to those pipelines). Signals not in use are
   * absent.
   *
   * @throws SignalNotSupportedException if {@code next} holds a signal the receiver does not
   *     support
   */
  Receiver create(Settings settings, C config, Consumers next);

  /** The {@code transport} label of this receiver's {@code otelcol_receiver_*} metrics. */
  default String transport() {
    return "";
  }
}
