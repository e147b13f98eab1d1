package io.tiercel.processors.tailsampling;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.TracesData;
import io.tiercel.core.consumer.Context;
import io.tiercel.core.pdata.Traces;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Requests in and out of the buffer: an incoming request split into per-trace fragments (one {@code
 * ResourceSpans} per resource holding one trace's spans, as the collector splits them), buffered
 * fragments parsed again or joined into one outgoing request, and the metadata the requests of a
 * joined request share.
 */
final class TraceFragments {
  private TraceFragments() {}

  /**
   * The fragments of one trace in an incoming batch: parsed, serialized (what is buffered), and
   * their spans.
   */
  record Part(List<ResourceSpans> parsed, List<byte[]> wire, int spans) {
    static Part of(List<ResourceSpans> fragments) {
      List<byte[]> wire = new ArrayList<>(fragments.size());
      for (ResourceSpans rs : fragments) {
        wire.add(rs.toByteArray());
      }
      return new Part(fragments, wire, spanCount(fragments));
    }
  }

  /**
   * Splits a request into per-trace fragments, as the collector does: for each resource, one
   * fragment per trace holding the resource and, per scope, that trace's spans.
   */
  static Map<ByteString, List<ResourceSpans>> group(TracesData in) {
    Map<ByteString, List<ResourceSpans>> out = new LinkedHashMap<>();
    for (ResourceSpans rs : in.getResourceSpansList()) {
      ByteString only = singleTrace(rs);
      if (only != null) {
        // the common case behind a Kafka receiver (one record per trace): the resource as it is
        out.computeIfAbsent(only, k -> new ArrayList<>(1)).add(rs);
        continue;
      }
      Map<ByteString, ResourceSpans.Builder> byTrace = new LinkedHashMap<>();
      ResourceSpans shell = null; // the resource without its scopes, copied once per resource
      for (ScopeSpans ss : rs.getScopeSpansList()) {
        if (ss.getSpansCount() == 0) {
          continue;
        }
        ScopeSpans scopeShell = ss.toBuilder().clearSpans().build(); // once per scope
        Map<ByteString, ScopeSpans.Builder> scoped = new LinkedHashMap<>();
        for (Span s : ss.getSpansList()) {
          scoped.computeIfAbsent(s.getTraceId(), k -> scopeShell.toBuilder()).addSpans(s);
        }
        if (shell == null) {
          shell = rs.toBuilder().clearScopeSpans().build();
        }
        for (Map.Entry<ByteString, ScopeSpans.Builder> e : scoped.entrySet()) {
          ResourceSpans resourceShell = shell;
          byTrace
              .computeIfAbsent(e.getKey(), k -> resourceShell.toBuilder())
              .addScopeSpans(e.getValue());
        }
      }
      for (Map.Entry<ByteString, ResourceSpans.Builder> e : byTrace.entrySet()) {
        out.computeIfAbsent(e.getKey(), k -> new ArrayList<>()).add(e.getValue().build());
      }
    }
    return out;
  }

  /**
   * The trace id of every span of a resource when they all share one and no scope is empty (so the
   * resource is already the fragment {@link #group} would build); null otherwise.
   */
  private static ByteString singleTrace(ResourceSpans rs) {
    ByteString id = null;
    for (ScopeSpans ss : rs.getScopeSpansList()) {
      if (ss.getSpansCount() == 0) {
        return null;
      }
      for (Span s : ss.getSpansList()) {
        ByteString t = s.getTraceId();
        if (id == null) {
          id = t;
        } else if (!id.equals(t)) {
          return null;
        }
      }
    }
    return id;
  }

  static int spanCount(List<ResourceSpans> fragments) {
    int n = 0;
    for (ResourceSpans rs : fragments) {
      for (ScopeSpans ss : rs.getScopeSpansList()) {
        n += ss.getSpansCount();
      }
    }
    return n;
  }

  /**
   * Whether a fragment holds a root span: one without a parent span id (empty or all zero, as pdata
   * reads it).
   */
  static boolean hasRoot(List<ResourceSpans> fragments) {
    for (ResourceSpans rs : fragments) {
      for (ScopeSpans ss : rs.getScopeSpansList()) {
        for (Span s : ss.getSpansList()) {
          ByteString parent = s.getParentSpanId();
          boolean zero = true;
          for (int i = 0; i < parent.size() && zero; i++) {
            zero = parent.byteAt(i) == 0;
          }
          if (zero) {
            return true;
          }
        }
      }
    }
    return false;
  }

  /** The buffered fragments parsed again, for the policies. */
  static List<ResourceSpans> parse(List<byte[]> fragments) {
    List<ResourceSpans> out = new ArrayList<>(fragments.size());
    for (byte[] b : fragments) {
      try {
        out.add(ResourceSpans.parseFrom(b));
      } catch (InvalidProtocolBufferException e) {
        throw new IllegalStateException("a fragment this processor serialized does not parse", e);
      }
    }
    return out;
  }

  /**
   * One serialized {@code TracesData} holding the given serialized {@code ResourceSpans}: each
   * framed as field 1, which is what serializing the message would write, without parsing or
   * re-encoding a span.
   */
  static Traces join(List<byte[]> fragments) {
    int size = 0;
    for (byte[] b : fragments) {
      size += CodedOutputStream.computeByteArraySize(TracesData.RESOURCE_SPANS_FIELD_NUMBER, b);
    }
    byte[] out = new byte[size];
    CodedOutputStream o = CodedOutputStream.newInstance(out);
    try {
      for (byte[] b : fragments) {
        o.writeByteArray(TracesData.RESOURCE_SPANS_FIELD_NUMBER, b);
      }
      o.checkNoSpaceLeft();
    } catch (IOException e) {
      throw new UncheckedIOException(
          "sizing a joined request", e); // cannot happen: the array is sized for it
    }
    return Traces.ofBytes(out);
  }

  /**
   * The metadata two contexts share: each key whose values are equal in both (a Kafka record's
   * {@code kafka.offset} differs from record to record and is dropped; a tenant header the records
   * agree on stays). Returns {@code a} itself when it holds nothing {@code b} lacks, so merging
   * equal contexts allocates nothing.
   */
  static Context common(Context a, Context b) {
    if (a == b || a.metadata().isEmpty()) {
      return a;
    }
    Map<String, List<String>> bm = b.metadata();
    boolean all = true;
    for (Map.Entry<String, List<String>> e : a.metadata().entrySet()) {
      if (!e.getValue().equals(bm.get(e.getKey()))) {
        all = false;
        break;
      }
    }
    if (all) {
      return a;
    }
    Map<String, List<String>> kept = new LinkedHashMap<>();
    for (Map.Entry<String, List<String>> e : a.metadata().entrySet()) {
      if (e.getValue().equals(bm.get(e.getKey()))) {
        kept.put(e.getKey(), e.getValue());
      }
    }
    return Context.of(kept);
  }
}
