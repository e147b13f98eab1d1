package io.tiercel.kafka.exporter;

import io.tiercel.core.pdata.Logs;
import io.tiercel.core.pdata.Metrics;
import io.tiercel.core.pdata.OtlpData;
import io.tiercel.core.pdata.Profiles;
import io.tiercel.core.pdata.Signal;
import io.tiercel.core.pdata.Traces;
import io.tiercel.kafka.common.encoding.SignalCodec;
import java.util.ArrayList;
import java.util.List;

/**
 * The Kafka record values of one request: split on the wire, encoded, each value below the size
 * limit; and back: record values to the request they hold (the failed part of a partly sent
 * request).
 */
final class RecordValues {
  private RecordValues() {}

  /**
   * The record values of a request. Protobuf parts are the split's output as is; JSON parts are
   * encoded from them and, when the JSON is larger than {@code maxBytes}, split again with a
   * proportionally smaller limit.
   */
  static WireSplitter.Result split(
      SignalCodec encoding, Signal signal, OtlpData data, WireSplitter.KeyBy keyBy, int maxBytes) {
    if (signal == Signal.PROFILES) {
      return whole(encoding, data, maxBytes);
    }
    if (encoding.isProto()) {
      return WireSplitter.split(signal, data.bytes(), keyBy, maxBytes);
    }
    WireSplitter.Result r = WireSplitter.split(signal, data.bytes(), keyBy, maxBytes, true);
    List<WireSplitter.Part> out = new ArrayList<>();
    int[] oversized = new int[2];
    for (WireSplitter.Part p : r.parts()) {
      json(encoding, signal, p, maxBytes, out, oversized);
    }
    return new WireSplitter.Result(out, oversized[0], oversized[1]);
  }

  /**
   * A profiles request as one record value: its dictionary indexes the whole request, so it is
   * never cut; a request larger than {@code maxBytes} is oversized as a whole (every sample of it).
   */
  private static WireSplitter.Result whole(SignalCodec encoding, OtlpData data, int maxBytes) {
    byte[] value = encoding.marshal(data);
    if (value.length <= maxBytes) {
      return new WireSplitter.Result(List.of(new WireSplitter.Part(null, value)), 0, 0);
    }
    return new WireSplitter.Result(List.of(), Math.max(1, data.itemCount()), value.length);
  }

  /**
   * Adds the JSON parts of one protobuf part; counts items that cannot fit alone in {@code
   * oversized}.
   */
  private static void json(
      SignalCodec encoding,
      Signal signal,
      WireSplitter.Part p,
      int maxBytes,
      List<WireSplitter.Part> out,
      int[] oversized) {
    OtlpData part = wrap(signal, p.value());
    List<byte[]> values = encoding.marshalRecords(part);
    if (values.size() != 1) { // one value per item (raw logs): each fits alone or is oversized
      for (byte[] v : values) {
        if (v.length <= maxBytes) {
          out.add(new WireSplitter.Part(p.key(), v));
        } else {
          oversized[0]++;
          oversized[1] = Math.max(oversized[1], v.length);
        }
      }
      return;
    }
    byte[] json = values.get(0);
    if (json.length <= maxBytes) {
      out.add(new WireSplitter.Part(p.key(), json));
      return;
    }
    if (units(signal, p.value()) <= 1) {
      oversized[0]++;
      oversized[1] = Math.max(oversized[1], json.length);
      return;
    }
    // JSON is larger than protobuf by a roughly constant factor: aim below it, then check again
    int smaller = (int) Math.max(1, (long) p.value().length * maxBytes / json.length * 9 / 10);
    smaller = Math.min(smaller, p.value().length - 1);
    WireSplitter.Result again =
        WireSplitter.split(signal, p.value(), WireSplitter.KeyBy.NONE, smaller, true);
    for (WireSplitter.Part q : again.parts()) {
      json(encoding, signal, new WireSplitter.Part(p.key(), q.value()), maxBytes, out, oversized);
    }
  }

  /**
   * One request holding what the record {@code values} of one request hold: {@code otlp_proto}
   * values concatenated (slices of one request concatenated are one valid request), {@code
   * otlp_json} values parsed back first. For the part of a request whose records failed.
   */
  static OtlpData request(SignalCodec encoding, Signal signal, List<byte[]> values) {
    List<byte[]> proto = new ArrayList<>(values.size());
    int size = 0;
    for (byte[] v : values) {
      byte[] p = encoding.isProto() ? v : encoding.unmarshal(signal, v).bytes();
      proto.add(p);
      size += p.length;
    }
    byte[] out = new byte[size];
    int pos = 0;
    for (byte[] p : proto) {
      System.arraycopy(p, 0, out, pos, p.length);
      pos += p.length;
    }
    return wrap(signal, out);
  }

  /** The units the splitter cuts between: spans, log records, or metrics (not data points). */
  private static int units(Signal signal, byte[] value) {
    return signal == Signal.METRICS
        ? WireSplitter.split(signal, value, WireSplitter.KeyBy.NONE, 0, true).parts().size()
        : wrap(signal, value).itemCount();
  }

  static OtlpData wrap(Signal signal, byte[] bytes) {
    return switch (signal) {
      case TRACES -> Traces.ofBytes(bytes);
      case METRICS -> Metrics.ofBytes(bytes);
      case LOGS -> Logs.ofBytes(bytes);
      case PROFILES -> Profiles.ofBytes(bytes);
    };
  }
}
