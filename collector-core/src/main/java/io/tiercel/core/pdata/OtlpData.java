package io.tiercel.core.pdata;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What a pipeline carries for one signal: the serialized OTLP bytes, the parsed message, or both.
 *
 * <p>The wire format of {@code TracesData} and {@code ExportTraceServiceRequest} is the same (and
 * likewise for metrics, logs and profiles), so the bytes are either. Each form is produced lazily
 * on first need and cached, so a receiver hands over what it has and a component asks for the form
 * it needs: the ingestion tier's hot path (OTLP bytes in, Kafka bytes out) never builds message
 * objects.
 *
 * <p>Instances are immutable from the caller's point of view: the byte array returned by {@link
 * #bytes()} and the message returned by {@code message()} must not be modified (a processor that
 * changes data builds a new instance). The lazy caches tolerate benign races, like {@link
 * String#hashCode()}: two threads may both parse, and either result is equal.
 */
public abstract sealed class OtlpData permits Traces, Metrics, Logs, Profiles {
  private byte @Nullable [] bytes; // one of bytes and message is set; the other is made on demand
  private @Nullable Message message;
  private int items = -1;
  private boolean checked; // the full structural check passed (or the data is a parsed message)

  OtlpData(byte @Nullable [] bytes, @Nullable Message message) {
    if (bytes == null && message == null) {
      throw new NullPointerException("bytes and message are both null");
    }
    this.bytes = bytes;
    this.message = message;
  }

  /** Data made from a view: {@link #hasView()} is true, and the other forms come from it. */
  OtlpData() {}

  /** Wraps serialized bytes of the given signal (takes ownership of the array). */
  public static OtlpData ofBytes(Signal signal, byte[] bytes) {
    return switch (signal) {
      case TRACES -> Traces.ofBytes(bytes);
      case METRICS -> Metrics.ofBytes(bytes);
      case LOGS -> Logs.ofBytes(bytes);
      case PROFILES -> Profiles.ofBytes(bytes);
    };
  }

  /** The signal of this data. */
  public abstract Signal signal();

  /** True when the serialized form is at hand (no serialization cost to call {@link #bytes()}). */
  public final boolean hasBytes() {
    return bytes != null;
  }

  /** True when the parsed form is at hand (no parsing cost to ask for the message). */
  public final boolean hasMessage() {
    return message != null;
  }

  /**
   * The serialized OTLP protobuf bytes (the {@code Export*ServiceRequest} wire format). Serializes
   * on first call when only the message is held. The returned array is shared: never modify it.
   */
  public final byte[] bytes() {
    byte[] b = bytes;
    if (b == null) {
      Message m = message;
      b = m != null ? m.toByteArray() : viewBytes();
      bytes = b;
    }
    return b;
  }

  /**
   * True when this data was made from a view ({@link Traces#ofView}), which the other forms are
   * made from on demand.
   */
  boolean hasView() {
    return false;
  }

  /** The serialized form of the view this data was made from; only when {@link #hasView()}. */
  byte[] viewBytes() {
    throw new IllegalStateException("no view");
  }

  /** The item count of the view this data was made from; only when {@link #hasView()}. */
  int viewItemCount() {
    throw new IllegalStateException("no view");
  }

  /** Size of the serialized form in bytes. */
  public final int serializedSize() {
    byte[] b = bytes;
    Message m = message;
    return b != null ? b.length : m != null ? m.getSerializedSize() : bytes().length;
  }

  /**
   * The parsed message, parsing on first call.
   *
   * @throws MalformedDataException when the bytes are not a valid OTLP message of this signal
   */
  final Message parsedMessage() {
    Message m = message;
    if (m == null) {
      try {
        m = parse(bytes());
      } catch (InvalidProtocolBufferException e) {
        throw new MalformedDataException(
            "malformed OTLP " + signal() + " protobuf: " + e.getMessage(), e);
      }
      message = m;
    }
    return m;
  }

  abstract Message parse(byte[] data) throws InvalidProtocolBufferException;

  /**
   * Number of items (spans, metric data points, log records, profile samples), counted once per hop
   * for the internal metrics. When only bytes are held, the count is taken by walking the wire
   * format without building objects, which also checks the structure down to the item level.
   *
   * @throws MalformedDataException when the bytes are not a well-formed OTLP message of this signal
   */
  public final int itemCount() {
    int n = items;
    if (n < 0) {
      Message m = message;
      n =
          m != null
              ? countItems(m)
              : hasView() ? viewItemCount() : WireFormat.countItems(signal(), bytes());
      items = n;
    }
    return n;
  }

  abstract int countItems(Message m);

  /**
   * Checks the structure of the serialized form in full ({@link OtlpStructure}: every nested
   * message, length, tag, wire type, string and id) and returns the number of items, which is kept
   * as {@link #itemCount()}. For the edge, before a request is accepted: what passes parses in
   * every later stage. Data that holds a parsed message is valid by construction and is not walked.
   *
   * @throws MalformedDataException naming the first problem found
   */
  public final int checkStructure() {
    if (!checked) {
      if (message != null) {
        itemCount();
      } else {
        items = OtlpStructure.check(signal(), bytes);
      }
      checked = true;
    }
    return items;
  }

  /**
   * Records the item count of data built from parts whose counts are known (a joined batch), so
   * that the next {@link #itemCount()} does not walk the bytes again. Only for counts that are
   * exact.
   */
  final <T extends OtlpData> T withKnownItemCount(int n) {
    items = n;
    @SuppressWarnings("unchecked")
    T self = (T) this;
    return self;
  }

  /**
   * This data in its serialized form only: the same instance when it holds no parsed message, else
   * a new one holding {@link #bytes()} (serialized now, on the caller's thread) and the item count,
   * without the message. For data that waits in a queue: the bytes are several times smaller on the
   * heap than the parsed message, so queued data stays cheap for the garbage collector, and
   * serialized parts join by concatenation.
   */
  @SuppressWarnings("unchecked")
  public final <T extends OtlpData> T serializedOnly() {
    if (message == null && !hasView()) {
      return (T) this;
    }
    int n = itemCount();
    return (T) ofBytes(signal(), bytes()).withKnownItemCount(n);
  }

  /** True when there are no items. */
  public final boolean isEmpty() {
    return itemCount() == 0;
  }

  @Override
  public final boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof OtlpData other) || other.signal() != signal()) {
      return false;
    }
    return Objects.equals(parsedMessage(), other.parsedMessage());
  }

  @Override
  public final int hashCode() {
    return parsedMessage().hashCode();
  }

  @Override
  public String toString() {
    return getClass().getSimpleName()
        + "{items="
        + (items >= 0 ? items : "?")
        + ", bytes="
        + (bytes != null ? bytes.length : "?")
        + ", parsed="
        + (message != null)
        + "}";
  }
}
