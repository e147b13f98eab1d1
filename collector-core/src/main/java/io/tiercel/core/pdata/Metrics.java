package io.tiercel.core.pdata;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import io.opentelemetry.proto.metrics.v1.MetricsData;
import org.jspecify.annotations.Nullable;

/**
 * OTLP metrics data carried by a pipeline; see {@link OtlpData} for the lazy bytes/message
 * contract.
 */
public final class Metrics extends OtlpData {
  /** No items. */
  public static final Metrics EMPTY = new Metrics(new byte[0], MetricsData.getDefaultInstance());

  private Metrics(byte @Nullable [] bytes, @Nullable Message message) {
    super(bytes, message);
  }

  /** Wraps a parsed message. */
  public static Metrics of(MetricsData message) {
    return new Metrics(null, message);
  }

  /**
   * Wraps serialized bytes ({@code MetricsData} or its {@code Export*ServiceRequest} twin). Takes
   * ownership of the array: the caller must not modify it afterwards. Nothing is parsed until asked
   * for.
   */
  public static Metrics ofBytes(byte[] bytes) {
    return new Metrics(bytes, null);
  }

  @Override
  public Signal signal() {
    return Signal.METRICS;
  }

  /**
   * The parsed message (parsed on first call).
   *
   * @throws MalformedDataException when the bytes are malformed
   */
  public MetricsData message() {
    return (MetricsData) parsedMessage();
  }

  @Override
  Message parse(byte[] data) throws InvalidProtocolBufferException {
    return MetricsData.parseFrom(data);
  }

  @Override
  int countItems(Message m) {
    return Items.count((MetricsData) m);
  }
}
