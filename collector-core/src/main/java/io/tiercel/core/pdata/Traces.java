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

  // the view this data was made from (frozen), or the index of its bytes once a view was asked for
  private @Nullable TracesView view;
  private final boolean fromView;

  private Traces(byte @Nullable [] bytes, @Nullable Message message) {
    super(bytes, message);
    fromView = false;
  }

  private Traces(TracesView view) {
    this.view = view;
    this.fromView = true;
  }

  /**
   * Wraps a view a processor has finished with: the view is frozen (it may no longer be edited),
   * and the bytes are serialized from it only when asked for.
   */
  public static Traces ofView(TracesView view) {
    return new Traces(view.freeze());
  }

  /**
   * An editable view of this data, for a processor that owns it (see {@link TracesView}): a copy of
   * the view this data was made from, or a view over its bytes, indexed on first call (the index is
   * kept, so later calls do not walk the bytes again). Data held only as a parsed message is
   * serialized first: processors use the view only for data that is not parsed.
   *
   * @throws MalformedDataException when the bytes are not what protobuf-java would parse
   */
  public TracesView view() {
    TracesView v = view;
    if (v == null) {
      v = TracesView.index(bytes());
      view = v;
    }
    return v.copy();
  }

  /** True when this data was made from a view or a view was already indexed over its bytes. */
  public boolean hasIndexedView() {
    return view != null;
  }

  @Override
  boolean hasView() {
    return fromView;
  }

  @Override
  byte[] viewBytes() {
    return view.serialize();
  }

  @Override
  int viewItemCount() {
    return view.itemCount();
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
