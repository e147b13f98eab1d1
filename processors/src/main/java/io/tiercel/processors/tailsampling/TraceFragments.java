package io.tiercel.processors.tailsampling;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.TracesData;
import io.tiercel.core.consumer.Context;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The parsed form of the processor's split (one {@code ResourceSpans} per resource holding one
 * trace's spans, as the collector splits them: the reference {@link WireSplit}'s sizes and {@link
 * TraceView#of(ByteString, List)} are checked against), and the metadata the requests of a joined
 * request share.
 */
final class TraceFragments {
  private TraceFragments() {}

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
