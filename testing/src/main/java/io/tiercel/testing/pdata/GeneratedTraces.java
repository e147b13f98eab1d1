package io.tiercel.testing.pdata;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnknownFieldSet;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.ArrayValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.common.v1.KeyValueList;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import io.opentelemetry.proto.trace.v1.TracesData;
import java.io.ByteArrayOutputStream;
import java.util.Random;

/**
 * Random traces for property tests, from one seed: resources, scopes and spans of every field kind
 * (attributes of every value type, events, links, status, unknown fields), and {@link #wire} gives
 * encodings protobuf accepts but never writes (a span split into two merged halves, fields
 * repeated), so readers of the wire format meet what a foreign producer may send.
 */
public final class GeneratedTraces {
  private static final String[] KEYS = {
    "http.request.method", "url.path", "service.name", "k", "", "é", "process.pid", "tier"
  };
  private static final String[] NAMES = {"GET /", "span", "", "naïve", "SELECT", "x"};

  private final Random random;

  public GeneratedTraces(long seed) {
    this.random = new Random(seed);
  }

  /** A random traces message. */
  public TracesData traces() {
    TracesData.Builder b = TracesData.newBuilder();
    for (int r = random.nextInt(4); r > 0; r--) {
      ResourceSpans.Builder rs = ResourceSpans.newBuilder();
      if (random.nextInt(4) > 0) {
        rs.setResource(Resource.newBuilder().addAllAttributes(attributes(0)));
      }
      if (random.nextBoolean()) {
        rs.setSchemaUrl("https://opentelemetry.io/schemas/1." + random.nextInt(30));
      }
      for (int s = random.nextInt(4); s > 0; s--) {
        ScopeSpans.Builder ss = ScopeSpans.newBuilder();
        if (random.nextInt(3) > 0) {
          ss.setScope(
              InstrumentationScope.newBuilder()
                  .setName(pick(NAMES))
                  .setVersion(random.nextBoolean() ? "1.0" : "")
                  .addAllAttributes(attributes(0)));
        }
        if (random.nextInt(5) == 0) {
          ss.setSchemaUrl("s");
        }
        for (int i = random.nextInt(6); i > 0; i--) {
          ss.addSpans(span());
        }
        rs.addScopeSpans(ss);
      }
      b.addResourceSpans(rs);
    }
    if (random.nextInt(8) == 0) {
      b.setUnknownFields(unknown());
    }
    return b.build();
  }

  /** A random span. */
  public Span span() {
    Span.Builder s =
        Span.newBuilder()
            .setTraceId(id(16))
            .setSpanId(id(8))
            .setName(pick(NAMES))
            .setKindValue(random.nextInt(7))
            .setStartTimeUnixNano(random.nextLong() & Long.MAX_VALUE)
            .setEndTimeUnixNano(random.nextLong() & Long.MAX_VALUE)
            .addAllAttributes(attributes(0));
    if (random.nextBoolean()) {
      s.setParentSpanId(id(random.nextInt(4) == 0 ? 3 : 8));
    }
    if (random.nextInt(3) == 0) {
      s.setTraceState("a=b,c=d");
    }
    if (random.nextBoolean()) {
      s.setStatus(
          Status.newBuilder()
              .setCodeValue(random.nextInt(3))
              .setMessage(random.nextBoolean() ? "boom" : ""));
    }
    if (random.nextInt(3) == 0) {
      s.setFlags(random.nextInt(1024));
      s.setDroppedAttributesCount(random.nextInt(5));
      s.setDroppedEventsCount(random.nextInt(5));
      s.setDroppedLinksCount(random.nextInt(5));
    }
    for (int e = random.nextInt(3); e > 0; e--) {
      s.addEvents(
          Span.Event.newBuilder()
              .setName(pick(NAMES))
              .setTimeUnixNano(random.nextLong() & Long.MAX_VALUE)
              .addAllAttributes(attributes(1)));
    }
    for (int l = random.nextInt(2); l > 0; l--) {
      s.addLinks(Span.Link.newBuilder().setTraceId(id(16)).setSpanId(id(8)));
    }
    if (random.nextInt(10) == 0) {
      s.setUnknownFields(unknown());
    }
    return s.build();
  }

  private java.util.List<KeyValue> attributes(int depth) {
    java.util.List<KeyValue> out = new java.util.ArrayList<>();
    for (int i = random.nextInt(5); i > 0; i--) {
      out.add(KeyValue.newBuilder().setKey(pick(KEYS)).setValue(value(depth)).build());
    }
    return out;
  }

  private AnyValue value(int depth) {
    AnyValue.Builder v = AnyValue.newBuilder();
    switch (random.nextInt(depth > 1 ? 5 : 8)) {
      case 0 -> v.setStringValue(pick(NAMES));
      case 1 -> v.setIntValue(random.nextInt(2000) - 1000);
      case 2 -> v.setDoubleValue(random.nextDouble());
      case 3 -> v.setBoolValue(random.nextBoolean());
      case 4 -> v.setBytesValue(id(3));
      case 5 -> v.setArrayValue(ArrayValue.newBuilder().addValues(value(depth + 1)));
      case 6 -> v.setKvlistValue(KeyValueList.newBuilder().addAllValues(attributes(depth + 1)));
      default -> {} // no value set
    }
    return v.build();
  }

  private UnknownFieldSet unknown() {
    return UnknownFieldSet.newBuilder()
        .addField(
            900 + random.nextInt(5),
            UnknownFieldSet.Field.newBuilder().addVarint(random.nextInt(100)).build())
        .build();
  }

  private ByteString id(int n) {
    byte[] b = new byte[n];
    random.nextBytes(b);
    return ByteString.copyFrom(b);
  }

  private String pick(String[] a) {
    return a[random.nextInt(a.length)];
  }

  /**
   * {@code t} serialized, where some spans are written as two halves that protobuf merges into the
   * span (the second half repeats some fields with other values) and some resources and scopes
   * repeat their head fields: bytes that parse to a message other than {@code t}, to be compared
   * with what the parser makes of them.
   */
  public byte[] wire(TracesData t) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (ResourceSpans rs : t.getResourceSpansList()) {
      ByteArrayOutputStream rb = new ByteArrayOutputStream();
      write(rb, rs.toBuilder().clearScopeSpans().build().toByteArray());
      for (ScopeSpans ss : rs.getScopeSpansList()) {
        ByteArrayOutputStream sb = new ByteArrayOutputStream();
        write(sb, ss.toBuilder().clearSpans().build().toByteArray());
        for (Span s : ss.getSpansList()) {
          byte[] body = s.toByteArray();
          if (random.nextInt(4) == 0) {
            body = concat(body, span().toBuilder().clearEvents().build().toByteArray());
          }
          field(sb, 2, body);
        }
        if (random.nextInt(6) == 0) {
          write(sb, ss.toBuilder().clearSpans().build().toByteArray());
        }
        field(rb, 2, sb.toByteArray());
      }
      if (random.nextInt(6) == 0) {
        write(rb, rs.toBuilder().clearScopeSpans().build().toByteArray());
      }
      field(out, 1, rb.toByteArray());
    }
    write(out, t.getUnknownFields().toByteArray());
    return out.toByteArray();
  }

  /** {@code b} with a few random bytes changed, inserted, removed or cut off. */
  public byte[] mutate(byte[] b) {
    byte[] m = b.clone();
    int edits = 1 + random.nextInt(3);
    for (int e = 0; e < edits && m.length > 0; e++) {
      int at = random.nextInt(m.length);
      switch (random.nextInt(4)) {
        case 0 -> m[at] = (byte) random.nextInt(256);
        case 1 -> m[at] ^= (byte) (1 << random.nextInt(8));
        case 2 -> m = java.util.Arrays.copyOf(m, at);
        default -> {
          byte[] n = new byte[m.length + 1];
          System.arraycopy(m, 0, n, 0, at);
          n[at] = (byte) random.nextInt(256);
          System.arraycopy(m, at, n, at + 1, m.length - at);
          m = n;
        }
      }
    }
    return m;
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] c = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, c, a.length, b.length);
    return c;
  }

  private static void field(ByteArrayOutputStream out, int field, byte[] body) {
    varint(out, field << 3 | 2);
    varint(out, body.length);
    write(out, body);
  }

  private static void varint(ByteArrayOutputStream out, int v) {
    while ((v & ~0x7f) != 0) {
      out.write((v & 0x7f) | 0x80);
      v >>>= 7;
    }
    out.write(v);
  }

  private static void write(ByteArrayOutputStream out, byte[] b) {
    out.write(b, 0, b.length);
  }
}
