package io.tiercel.testing.pdata;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.InvalidProtocolBufferException;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.common.v1.KeyValueList;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.TracesData;
import io.tiercel.core.pdata.MalformedDataException;
import io.tiercel.core.pdata.Traces;
import io.tiercel.core.pdata.TracesView;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The traces view against protobuf-java over generated data: it accepts exactly the bytes the
 * parser accepts, its wire reads give what the parsed span gives, and what it serializes after
 * random edits parses to the message the same edits make of the parsed data.
 */
class TracesViewTest {
  private static final String[] KEYS = {
    "http.request.method", "url.path", "service.name", "k", "", "é", "process.pid", "nope"
  };

  private static TracesData parse(byte[] b) throws InvalidProtocolBufferException {
    return TracesData.parseFrom(b);
  }

  @Test
  void acceptsExactlyWhatTheParserAccepts() {
    int malformed = 0;
    for (int seed = 0; seed < 4000; seed++) {
      GeneratedTraces g = new GeneratedTraces(seed);
      byte[] b = g.mutate(g.wire(g.traces()));
      boolean parses;
      try {
        parse(b);
        parses = true;
      } catch (InvalidProtocolBufferException e) {
        parses = false;
        malformed++;
      }
      Traces t = Traces.ofBytes(b);
      if (parses) {
        TracesView v = t.view();
        assertThat(v.spanCount()).as("seed %d", seed).isEqualTo(Traces.ofBytes(b).itemCount());
      } else {
        assertThatThrownBy(t::view).as("seed %d", seed).isInstanceOf(MalformedDataException.class);
      }
    }
    assertThat(malformed).as("mutations that break the bytes").isGreaterThan(500);
  }

  @Test
  void refusesWhatTheParserRefuses() throws Exception {
    Span ok = Span.newBuilder().setName("ok").build();
    byte[] span = ok.toByteArray();
    // name "\xC3" is not UTF-8
    assertSameVerdict(envelope(new byte[] {0x2A, 1, (byte) 0xC3}));
    assertSameVerdict(envelope(new byte[] {0x2A, 3, (byte) 0xED, (byte) 0xA0, (byte) 0x80}));
    assertSameVerdict(
        envelope(new byte[] {0x2A, 4, (byte) 0xF0, (byte) 0x9F, (byte) 0x98, (byte) 0x80}));
    // unknown groups: closed, closed by another number, never closed, an end tag alone
    assertSameVerdict(envelope(concat(span, new byte[] {(byte) 0xA3, 0x3E, (byte) 0xA4, 0x3E})));
    assertSameVerdict(envelope(concat(span, new byte[] {(byte) 0xA3, 0x3E, (byte) 0xAC, 0x3E})));
    assertSameVerdict(envelope(concat(span, new byte[] {(byte) 0xA3, 0x3E})));
    assertSameVerdict(envelope(concat(span, new byte[] {(byte) 0xA4, 0x3E})));
    assertSameVerdict(envelope(concat(span, new byte[] {0x07})));
    assertSameVerdict(envelope(concat(span, new byte[] {0x00})));
    // a known field with another wire type is an unknown field
    assertSameVerdict(envelope(concat(span, new byte[] {0x28, 0x01, 0x38, 0x05})));
    for (int depth = 90; depth < 105; depth++) {
      assertSameVerdict(envelope(nested(depth).toByteArray()));
    }
  }

  private static Span nested(int depth) {
    AnyValue v = AnyValue.newBuilder().setIntValue(1).build();
    for (int i = 0; i < depth; i++) {
      v =
          AnyValue.newBuilder()
              .setKvlistValue(
                  KeyValueList.newBuilder()
                      .addValues(KeyValue.newBuilder().setKey("k").setValue(v)))
              .build();
    }
    return Span.newBuilder().addAttributes(KeyValue.newBuilder().setKey("a").setValue(v)).build();
  }

  private static void assertSameVerdict(byte[] b) {
    boolean parses;
    try {
      parse(b);
      parses = true;
    } catch (InvalidProtocolBufferException e) {
      parses = false;
    }
    if (parses) {
      assertThat(Traces.ofBytes(b).view().spanCount()).isEqualTo(1);
    } else {
      assertThatThrownBy(() -> Traces.ofBytes(b).view()).isInstanceOf(MalformedDataException.class);
    }
  }

  private static byte[] envelope(byte[] spanBody) {
    byte[] scope = field(2, spanBody);
    byte[] resource = field(2, scope);
    return field(1, resource);
  }

  private static byte[] field(int n, byte[] body) {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    out.write(n << 3 | 2);
    int v = body.length;
    while ((v & ~0x7f) != 0) {
      out.write((v & 0x7f) | 0x80);
      v >>>= 7;
    }
    out.write(v);
    out.write(body, 0, body.length);
    return out.toByteArray();
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] c = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, c, a.length, b.length);
    return c;
  }

  @Test
  void untouchedViewSerializesToTheSameArray() {
    for (int seed = 0; seed < 200; seed++) {
      GeneratedTraces g = new GeneratedTraces(seed);
      byte[] b = g.wire(g.traces());
      Traces t = Traces.ofBytes(b);
      assertThat(Traces.ofView(t.view()).bytes()).isSameAs(b);
    }
  }

  @Test
  void wireReadsGiveWhatTheParsedSpanGives() throws Exception {
    for (int seed = 0; seed < 500; seed++) {
      GeneratedTraces g = new GeneratedTraces(seed);
      byte[] b = g.wire(g.traces());
      TracesData parsed = parse(b);
      List<Span> spans = new ArrayList<>();
      parsed
          .getResourceSpansList()
          .forEach(rs -> rs.getScopeSpansList().forEach(ss -> spans.addAll(ss.getSpansList())));
      TracesView v = Traces.ofBytes(b).view();
      assertThat(v.spanCount()).isEqualTo(spans.size());
      for (int i = 0; i < spans.size(); i++) {
        Span s = spans.get(i);
        assertThat(v.span(i)).isEqualTo(s);
        int name = v.spanField(i, 5 << 3 | 2);
        assertThat(name < 0 ? "" : v.stringAt(name)).isEqualTo(s.getName());
        int kind = v.spanField(i, 6 << 3);
        assertThat(kind < 0 ? 0 : (int) v.varintAt(kind)).isEqualTo(s.getKindValue());
        int start = v.spanField(i, 7 << 3 | 1);
        assertThat(start < 0 ? 0 : v.fixed64At(start)).isEqualTo(s.getStartTimeUnixNano());
        int trace = v.spanField(i, 1 << 3 | 2);
        assertThat(trace < 0 ? new byte[0] : v.bytesAt(trace))
            .isEqualTo(s.getTraceId().toByteArray());
        int code = v.spanNestedField(i, 15 << 3 | 2, 3 << 3);
        assertThat(code < 0 ? 0 : (int) v.varintAt(code)).isEqualTo(s.getStatus().getCodeValue());
        for (String key : KEYS) {
          assertThat(v.spanAttribute(i, key))
              .as("seed %d span %d key %s", seed, i, key)
              .isEqualTo(find(s.getAttributesList(), key));
          AnyValue want = find(s.getAttributesList(), key);
          Object plain = v.spanAttributeValue(i, key);
          if (plain instanceof String str) {
            assertThat(want.getValueCase()).isEqualTo(AnyValue.ValueCase.STRING_VALUE);
            assertThat(str).isEqualTo(want.getStringValue());
          } else {
            assertThat(plain).isEqualTo(want);
          }
        }
      }
      int r = 0;
      for (ResourceSpans rs : parsed.getResourceSpansList()) {
        assertThat(v.resourceHead(r)).isEqualTo(rs.toBuilder().clearScopeSpans().build());
        for (String key : KEYS) {
          assertThat(v.resourceAttribute(r, key))
              .isEqualTo(find(rs.getResource().getAttributesList(), key));
        }
        r++;
      }
    }
  }

  private static AnyValue find(List<KeyValue> l, String key) {
    for (KeyValue kv : l) {
      if (kv.getKey().equals(key)) {
        return kv.getValue();
      }
    }
    return null;
  }

  @Test
  void editsSerializeToWhatTheSameEditsMakeOfTheParsedData() throws Exception {
    for (int seed = 0; seed < 1000; seed++) {
      GeneratedTraces g = new GeneratedTraces(seed);
      Random random = new Random(seed);
      byte[] b = g.wire(g.traces());
      boolean rebuild = random.nextInt(3) == 0;
      TracesData.Builder expected = parse(b).toBuilder();
      TracesView v = Traces.ofBytes(b).view();
      int span = 0;
      int scope = 0;
      for (int r = 0; r < expected.getResourceSpansCount(); r++) {
        ResourceSpans.Builder rs = expected.getResourceSpansBuilder(r);
        if (random.nextInt(5) == 0) {
          rs.setSchemaUrl("edited");
          v.editResourceHead(r).setSchemaUrl("edited");
        }
        for (int s = 0; s < rs.getScopeSpansCount(); s++, scope++) {
          ScopeSpans.Builder ss = rs.getScopeSpansBuilder(s);
          if (random.nextInt(6) == 0) {
            ss.getScopeBuilder().setName("edited");
            v.editScopeHead(scope).getScopeBuilder().setName("edited");
          }
          for (int i = 0; i < ss.getSpansCount(); i++, span++) {
            switch (random.nextInt(4)) {
              case 0 -> {
                ss.getSpansBuilder(i).setName("renamed");
                v.editSpan(span).setName("renamed");
              }
              case 1 -> {
                ss.getSpansBuilder(i).setName("dropped");
                v.dropSpan(span);
              }
              default -> {}
            }
          }
        }
      }
      if (rebuild) {
        v.rebuildEnvelope();
      }
      TracesData want = dropMarked(expected.build(), rebuild);
      TracesData got = parse(Traces.ofView(v).bytes());
      assertThat(got).as("seed %d", seed).isEqualTo(want);
      assertThat(Traces.ofView(v).itemCount()).isEqualTo(Traces.of(want).itemCount());
    }
  }

  /** The filter processor's rules: dropped spans go, scopes and resources they empty go too. */
  private static TracesData dropMarked(TracesData in, boolean rebuild) {
    TracesData.Builder out =
        rebuild ? TracesData.newBuilder() : in.toBuilder().clearResourceSpans();
    for (ResourceSpans rs : in.getResourceSpansList()) {
      ResourceSpans.Builder rb = rs.toBuilder().clearScopeSpans();
      boolean changed = false;
      for (ScopeSpans ss : rs.getScopeSpansList()) {
        List<Span> kept = new ArrayList<>();
        for (Span s : ss.getSpansList()) {
          if (!s.getName().equals("dropped")) {
            kept.add(s);
          }
        }
        if (kept.size() != ss.getSpansCount()) {
          changed = true;
          if (!kept.isEmpty()) {
            rb.addScopeSpans(ss.toBuilder().clearSpans().addAllSpans(kept));
          }
        } else {
          rb.addScopeSpans(ss);
        }
      }
      if (!changed || rb.getScopeSpansCount() > 0) {
        out.addResourceSpans(rb);
      }
    }
    return out.build();
  }
}
