package io.tiercel.kafka.common.encoding;

import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.LogsData;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.tiercel.core.consumer.PermanentException;
import io.tiercel.core.pdata.Logs;
import io.tiercel.core.pdata.OtlpData;
import io.tiercel.core.pdata.json.PlainJson;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Log records made of a record value's bodies, and bodies written back: the mapping of the
 * collector's {@code raw}, {@code text} and {@code json} log encodings. Each record read gets an
 * observed time (now) and nothing else: one resource, one scope, no attributes. Stateless.
 */
final class LogBodies {
  private LogBodies() {}

  /** Logs of one record per body, in order, each observed at {@code clock}'s now. */
  static Logs of(List<AnyValue> bodies, Clock clock) {
    Instant now = clock.instant();
    long observed = now.getEpochSecond() * 1_000_000_000L + now.getNano();
    ScopeLogs.Builder scope = ScopeLogs.newBuilder();
    for (AnyValue body : bodies) {
      scope.addLogRecords(LogRecord.newBuilder().setObservedTimeUnixNano(observed).setBody(body));
    }
    LogsData.Builder d = LogsData.newBuilder();
    if (!bodies.isEmpty()) {
      d.addResourceLogs(ResourceLogs.newBuilder().addScopeLogs(scope));
    }
    return Logs.of(d.build());
  }

  /** Every log record's body, in order. */
  static List<AnyValue> bodies(OtlpData data) {
    List<AnyValue> out = new ArrayList<>();
    for (ResourceLogs rl : ((Logs) data).message().getResourceLogsList()) {
      for (ScopeLogs sl : rl.getScopeLogsList()) {
        for (LogRecord r : sl.getLogRecordsList()) {
          out.add(r.getBody());
        }
      }
    }
    return out;
  }

  /**
   * A body as raw bytes, as the collector's {@code raw} writes it: bytes as they are, a string as
   * UTF-8, the empty value as nothing, anything else as plain JSON.
   */
  static byte[] raw(AnyValue body) {
    return switch (body.getValueCase()) {
      case BYTES_VALUE -> body.getBytesValue().toByteArray();
      case STRING_VALUE -> body.getStringValue().getBytes(StandardCharsets.UTF_8);
      case VALUE_NOT_SET -> new byte[0];
      default -> PlainJson.write(body);
    };
  }

  /** A body as text (the collector's {@code AsString}): a string as is, the rest as JSON. */
  static String text(AnyValue body) {
    return switch (body.getValueCase()) {
      case STRING_VALUE -> body.getStringValue();
      case VALUE_NOT_SET -> "";
      default -> new String(raw(body), StandardCharsets.UTF_8);
    };
  }

  /** A JSON object as a map body. */
  static AnyValue jsonObject(byte[] value, String encoding) {
    AnyValue v = json(value, encoding);
    if (!v.hasKvlistValue()) {
      throw new PermanentException(
          "malformed " + encoding + " logs: expected a JSON object, got " + kind(v));
    }
    return v;
  }

  static AnyValue json(byte[] value, String encoding) {
    try {
      return PlainJson.parse(value);
    } catch (RuntimeException e) {
      throw new PermanentException("malformed " + encoding + " logs: " + e.getMessage(), e);
    }
  }

  static String kind(AnyValue v) {
    return switch (v.getValueCase()) {
      case KVLIST_VALUE -> "an object";
      case ARRAY_VALUE -> "an array";
      case STRING_VALUE -> "a string";
      case DOUBLE_VALUE -> "a number";
      case BOOL_VALUE -> "a boolean";
      default -> "null";
    };
  }
}
