package io.tiercel.core.pdata;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import io.opentelemetry.proto.trace.v1.TracesData;
import org.jspecify.annotations.Nullable;

/**
 * OTLP traces data carried by a pipeline; see {@link OtlpData} for the lazy bytes/message contract.
 */
public final class Traces extends OtlpData {
  /** No items. */
  public static final Traces EMPTY = new Traces(new byte[0], TracesData.getDefaultInstance());

  private Traces(byte @Nullable [] bytes, @Nullable Message message) {
    super(bytes, message);
  }

  /** Wraps a parsed message. */
  public static Traces of(TracesData message) {
    return new Traces(null, message);
  }

  /**
   * Wraps serialized bytes ({@code TracesData} or its {@code Export*ServiceRequest} twin). Takes
   * ownership of the array: the caller must not modify it afterwards. Nothing is parsed until asked
   * for.
   */
  public static Traces ofBytes(byte[] bytes) {
    return new Traces(bytes, null);
  }

  @Override
  public Signal signal() {
    return Signal.TRACES;
  }

  /**
   * The parsed message (parsed on first call).
   *
   * @throws MalformedDataException when the bytes are malformed
   */
  public TracesData message() {
    return (TracesData) parsedMessage();
  }

  @Override
  Message parse(byte[] data) throws InvalidProtocolBufferException {
    return TracesData.parseFrom(data);
  }

  @Override
  int countItems(Message m) {
    return Items.count((TracesData) m);
  }
}
