package io.tiercel.kafka.common.encoding;

import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.common.v1.KeyValueList;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.tiercel.core.consumer.PermanentException;
import io.tiercel.core.pdata.Logs;
import io.tiercel.core.pdata.OtlpData;
import io.tiercel.core.pdata.Signal;
import io.tiercel.core.pdata.json.PlainJson;
import java.io.ByteArrayOutputStream;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code json_log_encoding} extension's codec: log bodies as JSON objects. Read: a JSON array
 * of objects ({@code array_mode}) or a sequence of objects (newline-delimited JSON), one log record
 * per object with the object as its map body. Written: each record's body (mode {@code body}), or
 * an object holding {@code body}, {@code attributes} and {@code resourceAttributes} (mode {@code
 * body_with_inline_attributes}), as one array or as one object per line. Stateless, thread-safe.
 *
 * @param inlineAttributes true for mode {@code body_with_inline_attributes}
 * @param arrayMode true when a value is a JSON array
 */
public record JsonLogCodec(boolean inlineAttributes, boolean arrayMode, Clock clock)
    implements SignalCodec {
  @Override
  public String id() {
    return "json_log_encoding";
  }

  @Override
  public boolean reads(Signal signal) {
    return signal == Signal.LOGS;
  }

  @Override
  public boolean writes(Signal signal) {
    return signal == Signal.LOGS;
  }

  @Override
  public byte[] marshal(OtlpData data) {
    if (!writes(data.signal())) {
      throw new PermanentException(id() + " cannot write " + data.signal());
    }
    List<byte[]> items = new ArrayList<>();
    for (ResourceLogs rl : ((Logs) data).message().getResourceLogsList()) {
      for (ScopeLogs sl : rl.getScopeLogsList()) {
        for (LogRecord r : sl.getLogRecordsList()) {
          items.add(PlainJson.write(item(r, rl.getResource().getAttributesList())));
        }
      }
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    if (arrayMode) {
      out.write('[');
    }
    for (int i = 0; i < items.size(); i++) {
      if (i > 0) {
        out.write(arrayMode ? ',' : '\n');
      }
      out.writeBytes(items.get(i));
    }
    if (arrayMode) {
      out.write(']');
    }
    return out.toByteArray();
  }

  private AnyValue item(LogRecord r, List<KeyValue> resource) {
    if (!inlineAttributes) {
      return r.getBody();
    }
    KeyValueList.Builder kv = KeyValueList.newBuilder();
    if (r.hasBody()) {
      kv.addValues(KeyValue.newBuilder().setKey("body").setValue(r.getBody()));
    }
    if (r.getAttributesCount() > 0) {
      kv.addValues(map("attributes", r.getAttributesList()));
    }
    if (!resource.isEmpty()) {
      kv.addValues(map("resourceAttributes", resource));
    }
    return AnyValue.newBuilder().setKvlistValue(kv).build();
  }

  private static KeyValue map(String key, List<KeyValue> entries) {
    return KeyValue.newBuilder()
        .setKey(key)
        .setValue(
            AnyValue.newBuilder().setKvlistValue(KeyValueList.newBuilder().addAllValues(entries)))
        .build();
  }

  @Override
  public OtlpData unmarshal(Signal signal, byte[] value) {
    if (!reads(signal)) {
      throw new PermanentException(id() + " holds no " + signal);
    }
    List<AnyValue> objects;
    if (arrayMode) {
      AnyValue v = LogBodies.json(value, id());
      if (!v.hasArrayValue()) {
        throw new PermanentException(
            "malformed " + id() + " logs: expected a JSON array, got " + LogBodies.kind(v));
      }
      objects = v.getArrayValue().getValuesList();
    } else {
      try {
        objects = PlainJson.parseSequence(value);
      } catch (RuntimeException e) {
        throw new PermanentException("malformed " + id() + " logs: " + e.getMessage(), e);
      }
    }
    for (AnyValue o : objects) {
      if (!o.hasKvlistValue()) {
        throw new PermanentException(
            "malformed " + id() + " logs: expected JSON objects, got " + LogBodies.kind(o));
      }
    }
    return LogBodies.of(objects, clock);
  }
}
