package io.tiercel.core.service;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.TracesData;
import io.tiercel.core.pdata.Traces;

/** Small OTLP payloads for tests. */
final class TestData {
  private TestData() {}

  /** {@code n} spans in one resource/scope, as serialized bytes (no parsed message held). */
  static Traces spans(int n) {
    ScopeSpans.Builder ss = ScopeSpans.newBuilder();
    for (int i = 0; i < n; i++) {
      byte[] tid = new byte[16];
      tid[15] = (byte) (i + 1);
      byte[] sid = new byte[8];
      sid[7] = (byte) (i + 1);
      ss.addSpans(
          Span.newBuilder()
              .setTraceId(ByteString.copyFrom(tid))
              .setSpanId(ByteString.copyFrom(sid))
              .setName("span-" + i));
    }
    TracesData d =
        TracesData.newBuilder()
            .addResourceSpans(ResourceSpans.newBuilder().addScopeSpans(ss))
            .build();
    return Traces.ofBytes(d.toByteArray());
  }
}
