package io.tiercel.kafka.exporter;

import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.tiercel.core.consumer.PermanentException;
import io.tiercel.core.pdata.Signal;
import io.tiercel.core.pdata.WireFormat;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Splits a serialized OTLP request into Kafka record values without building message objects
 * (DESIGN.md section 3): it walks {@code *Data -> Resource* -> Scope* -> item}, copies each item's
 * bytes into the output of its key (its trace id, or its resource), and frames them again with
 * their resource and scope bytes. Every output is at most {@code maxBytes} long: a group that would
 * be larger is cut into several values with the same key. The three signals share the envelope
 * shape (resource at field 1, scopes at field 2, items at field 2), so one walk serves all; only
 * the item field that holds the trace id differs (span 1, log record 9).
 *
 * <p>Stateless and thread-safe.
 */
public final class WireSplitter {
  /** How outputs are keyed. */
  public enum KeyBy {
    /** One group, no key: the request as is when it fits. */
    NONE,
    /**
     * One group per trace id (spans, or log records that carry one); key = 32 lowercase hex
     * characters.
     */
    TRACE_ID,
    /** One group per resource; key = the collector's 16-byte hash of the resource attributes. */
    RESOURCE
  }

  /**
   * One output record value.
   *
   * @param key the record key, or null
   * @param value a serialized {@code *Data} holding this part
   */
  public record Part(byte @Nullable [] key, byte[] value) {}

  /**
   * The result of a split: the parts, and the items that cannot fit in {@code maxBytes} even alone
   * (dropped, counted here so the caller can fail them permanently).
   */
  public record Result(List<Part> parts, int oversizedItems, int largestOversizedItem) {}

  private WireSplitter() {}

  /**
   * Splits {@code data}.
   *
   * @param signal the signal the bytes hold
   * @param data a serialized {@code TracesData}/{@code MetricsData}/{@code LogsData} (or request
   *     twin)
   * @param keyBy how to group and key the outputs; {@link KeyBy#TRACE_ID} applies to traces and
   *     logs only
   * @param maxBytes the largest output value, in bytes
   * @throws PermanentException when the bytes are not well-formed OTLP
   */
  public static Result split(Signal signal, byte[] data, KeyBy keyBy, int maxBytes) {
    return split(signal, data, keyBy, maxBytes, false);
  }

  /**
   * As {@link #split(Signal, byte[], KeyBy, int)}; with {@code emitOversized}, an item too large on
   * its own is still emitted as a part of its own (and counted), for a caller that re-encodes parts
   * and judges their size itself.
   */
  public static Result split(
      Signal signal, byte[] data, KeyBy keyBy, int maxBytes, boolean emitOversized) {
    Objects.requireNonNull(data, "data");
    if (keyBy == KeyBy.TRACE_ID && signal == Signal.METRICS) {
      throw new IllegalArgumentException("metrics have no trace id");
    }
    if (keyBy == KeyBy.NONE && data.length <= maxBytes) {
      return new Result(List.of(new Part(null, data)), 0, 0);
    }
    try {
      RequestLayout layout =
          new RequestLayout(
              data, keyBy == KeyBy.TRACE_ID ? (signal == Signal.TRACES ? 1 : 9) : 0, keyBy);
      layout.walk();
      return layout.pack(maxBytes, emitOversized);
    } catch (IndexOutOfBoundsException | IllegalStateException e) {
      throw new PermanentException("malformed OTLP " + signal + " protobuf: " + e.getMessage(), e);
    }
  }

  /**
   * The string value of resource attribute {@code key} in the first resource that has it, or null.
   * Parses only the resources, never the items.
   *
   * @throws PermanentException when the bytes are not well-formed OTLP
   */
  public static @Nullable String firstResourceAttribute(byte[] data, String key) {
    try {
      int pos = 0;
      while (pos < data.length) {
        long tag = WireFormat.readVarint(data, pos, data.length);
        int vs = WireFormat.varintEnd(data, pos, data.length);
        int wt = (int) (tag & 7);
        int next = WireFormat.skip(data, vs, data.length, wt);
        if (tag >>> 3 == 1 && wt == WireFormat.WT_LEN) {
          int s = WireFormat.varintEnd(data, vs, data.length);
          int p = s;
          while (p < next) {
            long t = WireFormat.readVarint(data, p, next);
            int v = WireFormat.varintEnd(data, p, next);
            int w = (int) (t & 7);
            int n = WireFormat.skip(data, v, next, w);
            if (t >>> 3 == 1 && w == WireFormat.WT_LEN) {
              int rs = WireFormat.varintEnd(data, v, next);
              Resource r = Resource.parseFrom(java.nio.ByteBuffer.wrap(data, rs, n - rs));
              for (KeyValue kv : r.getAttributesList()) {
                if (kv.getKey().equals(key) && kv.getValue().hasStringValue()) {
                  return kv.getValue().getStringValue();
                }
              }
            }
            p = n;
          }
        }
        pos = next;
      }
      return null;
    } catch (IndexOutOfBoundsException
        | IllegalStateException
        | com.google.protobuf.InvalidProtocolBufferException e) {
      throw new PermanentException("malformed OTLP protobuf: " + e.getMessage(), e);
    }
  }

  /**
   * The key of a resource: the OpenTelemetry Collector's hash of its attributes (see {@link
   * ResourceKey}), so equal attribute sets give equal keys whatever their order, and the same keys
   * as the collector's exporter.
   */
  public static byte[] resourceHash(Resource r) {
    return ResourceKey.of(r.getAttributesList());
  }
}
