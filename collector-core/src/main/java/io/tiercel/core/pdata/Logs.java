package io.tiercel.core.pdata;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import io.opentelemetry.proto.logs.v1.LogsData;
import org.jspecify.annotations.Nullable;

/**
 * OTLP logs data carried by a pipeline; see {@link OtlpData} for the lazy bytes/message contract.
 */
public final class Logs extends OtlpData {
  /** No items. */
  public static final Logs EMPTY = new Logs(new byte[0], LogsData.getDefaultInstance());

  private Logs(byte @Nullable [] bytes, @Nullable Message message) {
    super(bytes, message);
  }

  /** Wraps a parsed message. */
  public static Logs of(LogsData message) {
    return new Logs(null, message);
  }

  /**
   * Wraps serialized bytes ({@code LogsData} or its {@code Export*ServiceRequest} twin). Takes
   * ownership of the array: the caller must not modify it afterwards. Nothing is parsed until asked
   * for.
   */
  public static Logs ofBytes(byte[] bytes) {
    return new Logs(bytes, null);
  }

  @Override
  public Signal signal() {
    return Signal.LOGS;
  }

  /**
   * The parsed message (parsed on first call).
   *
   * @throws MalformedDataException when the bytes are malformed
   */
  public LogsData message() {
    return (LogsData) parsedMessage();
  }

  @Override
  Message parse(byte[] data) throws InvalidProtocolBufferException {
    return LogsData.parseFrom(data);
  }

  @Override
  int countItems(Message m) {
    return Items.count((LogsData) m);
  }
}
