package io.tiercel.kafka.receiver;

import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.logs.v1.LogsData;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.metrics.v1.MetricsData;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.profiles.v1development.ProfilesData;
import io.opentelemetry.proto.profiles.v1development.ResourceProfiles;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.TracesData;
import io.tiercel.core.consumer.Context;
import io.tiercel.core.consumer.PermanentException;
import io.tiercel.core.pdata.Logs;
import io.tiercel.core.pdata.MalformedDataException;
import io.tiercel.core.pdata.Metrics;
import io.tiercel.core.pdata.OtlpData;
import io.tiercel.core.pdata.Profiles;
import io.tiercel.core.pdata.Signal;
import io.tiercel.core.pdata.Traces;
import io.tiercel.kafka.common.encoding.SignalCodec;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

/**
 * Turns a Kafka record into pipeline data and its {@link Context}. Stateless and thread-safe.
 *
 * <p>Public only so that the benchmarks module can measure the receiver's per-record work; not an
 * API for other modules.
 */
public final class RecordDecoder {
  /** Metadata keys of every record's {@link Context}. */
  static final String TOPIC = "kafka.topic";

  static final String PARTITION = "kafka.partition";
  static final String OFFSET = "kafka.offset";

  /** Prefix of the resource attributes made by {@code header_extraction}. */
  static final String HEADER_ATTRIBUTE_PREFIX = "kafka.header.";

  private final HeaderExtraction extraction;

  /**
   * A decoder that copies the headers {@code extraction} names into the data's resource attributes.
   */
  public RecordDecoder(HeaderExtraction extraction) {
    this.extraction = Objects.requireNonNull(extraction, "extraction");
  }

  /**
   * Decodes a record value. For {@code otlp_proto} the bytes are checked without building objects,
   * first for the signal (see {@link OtlpCheck}), then in full ({@link OtlpData#checkStructure()}),
   * so that a record no later stage could parse goes to the dead-letter path before any processor
   * sees it; they are passed on as they are unless headers are extracted.
   *
   * <p>Runs on the receiver's poll thread; does not block.
   *
   * @throws PermanentException when the value is not data of {@code signal} in {@code encoding}
   */
  public OtlpData decode(
      Signal signal, SignalCodec encoding, ConsumerRecord<byte[], byte[]> record) {
    byte[] value = record.value();
    if (value == null) {
      throw new PermanentException("record has no value (a tombstone)");
    }
    OtlpData data = encoding.unmarshal(signal, value);
    if (encoding.isProto()) {
      OtlpCheck.check(signal, value);
      try {
        data.checkStructure(); // every nested message, string and id: what passes parses later
      } catch (MalformedDataException e) {
        throw new PermanentException(e.getMessage(), e);
      }
    } else {
      data.itemCount();
    }
    if (extraction.active()) {
      data = extract(signal, data, record);
    }
    return data;
  }

  /** The record's metadata: topic, partition, offset and every header (values as UTF-8 text). */
  public static Context context(ConsumerRecord<byte[], byte[]> record) {
    Map<String, List<String>> m = new LinkedHashMap<>();
    for (Header h : record.headers()) {
      String v = h.value() == null ? "" : new String(h.value(), StandardCharsets.UTF_8);
      m.computeIfAbsent(h.key(), k -> new ArrayList<>(1)).add(v);
    }
    m.put(TOPIC, List.of(record.topic()));
    m.put(PARTITION, List.of(Integer.toString(record.partition())));
    m.put(OFFSET, List.of(Long.toString(record.offset())));
    return Context.of(m);
  }

  private OtlpData extract(Signal signal, OtlpData data, ConsumerRecord<byte[], byte[]> record) {
    List<KeyValue> attrs = new ArrayList<>();
    for (String name : extraction.headers()) {
      Header h = record.headers().lastHeader(name);
      if (h != null && h.value() != null) {
        attrs.add(
            KeyValue.newBuilder()
                .setKey(HEADER_ATTRIBUTE_PREFIX + name)
                .setValue(
                    AnyValue.newBuilder()
                        .setStringValue(new String(h.value(), StandardCharsets.UTF_8)))
                .build());
      }
    }
    if (attrs.isEmpty()) {
      return data;
    }
    return switch (signal) {
      case TRACES -> {
        TracesData.Builder b = ((Traces) data).message().toBuilder();
        for (ResourceSpans.Builder rs : b.getResourceSpansBuilderList()) {
          rs.setResource(with(rs.getResource(), attrs));
        }
        yield Traces.of(b.build());
      }
      case METRICS -> {
        MetricsData.Builder b = ((Metrics) data).message().toBuilder();
        for (ResourceMetrics.Builder rm : b.getResourceMetricsBuilderList()) {
          rm.setResource(with(rm.getResource(), attrs));
        }
        yield Metrics.of(b.build());
      }
      case LOGS -> {
        LogsData.Builder b = ((Logs) data).message().toBuilder();
        for (ResourceLogs.Builder rl : b.getResourceLogsBuilderList()) {
          rl.setResource(with(rl.getResource(), attrs));
        }
        yield Logs.of(b.build());
      }
      case PROFILES -> {
        ProfilesData.Builder b = ((Profiles) data).message().toBuilder();
        for (ResourceProfiles.Builder rp : b.getResourceProfilesBuilderList()) {
          rp.setResource(with(rp.getResource(), attrs));
        }
        yield Profiles.of(b.build());
      }
    };
  }

  private static Resource with(Resource r, List<KeyValue> attrs) {
    Resource.Builder b = r.toBuilder();
    for (KeyValue kv : attrs) {
      boolean replaced = false;
      for (int i = 0; i < b.getAttributesCount(); i++) {
        if (b.getAttributes(i).getKey().equals(kv.getKey())) {
          b.setAttributes(i, kv);
          replaced = true;
          break;
        }
      }
      if (!replaced) {
        b.addAttributes(kv);
      }
    }
    return b.build();
  }
}
