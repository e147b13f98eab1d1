package io.tiercel.core.pdata;

import io.opentelemetry.proto.logs.v1.LogsData;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.MetricsData;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.TracesData;
import java.util.ArrayList;
import java.util.List;

/**
 * Joining and splitting OTLP data by item count, keeping resources and scopes intact.
 *
 * <p>Joining stays on the wire when every part holds bytes: two serialized {@code *Data} messages
 * concatenated are one valid message holding both (protobuf appends repeated fields), so a batch
 * costs a memory copy, not a parse. Splitting needs the parsed form and is used only when a batch
 * must be capped.
 */
public final class Batches {
  private Batches() {}

  /**
   * Whether requests of {@code signal} can be joined (and split) as bytes: not profiles, whose
   * samples index into their own request's dictionary.
   */
  public static boolean joinable(Signal signal) {
    return signal != Signal.PROFILES;
  }

  /**
   * One {@link OtlpData} of the same signal holding all {@code parts}, in order.
   *
   * @throws IllegalArgumentException for several profiles parts (see {@link Profiles})
   */
  @SuppressWarnings("unchecked")
  public static <T extends OtlpData> T join(List<T> parts) {
    if (parts.size() == 1) {
      return parts.get(0);
    }
    if (parts.isEmpty()) {
      throw new IllegalArgumentException("nothing to join");
    }
    Signal signal = parts.get(0).signal();
    if (!joinable(signal)) {
      throw new IllegalArgumentException(
          "profiles requests are not joined: each indexes into its own dictionary");
    }
    boolean allBytes = true;
    boolean allMessages = true;
    for (T p : parts) {
      allBytes &= p.hasBytes();
      allMessages &= p.hasMessage();
    }
    if (allBytes || !allMessages) {
      int size = 0;
      long items = 0;
      for (T p : parts) {
        size += p.serializedSize();
        items +=
            p.itemCount(); // counted already on the way in (cached): the join need not walk the
        // bytes again
      }
      byte[] out = new byte[size];
      int pos = 0;
      for (T p : parts) {
        byte[] b = p.bytes();
        System.arraycopy(b, 0, out, pos, b.length);
        pos += b.length;
      }
      OtlpData joined = OtlpData.ofBytes(signal, out);
      return items <= Integer.MAX_VALUE ? joined.withKnownItemCount((int) items) : (T) joined;
    }
    return (T)
        switch (signal) {
          case TRACES -> {
            TracesData.Builder b = TracesData.newBuilder();
            parts.forEach(
                p -> b.addAllResourceSpans(((Traces) p).message().getResourceSpansList()));
            yield Traces.of(b.build());
          }
          case METRICS -> {
            MetricsData.Builder b = MetricsData.newBuilder();
            parts.forEach(
                p -> b.addAllResourceMetrics(((Metrics) p).message().getResourceMetricsList()));
            yield Metrics.of(b.build());
          }
          case LOGS -> {
            LogsData.Builder b = LogsData.newBuilder();
            parts.forEach(p -> b.addAllResourceLogs(((Logs) p).message().getResourceLogsList()));
            yield Logs.of(b.build());
          }
          case PROFILES -> throw new AssertionError("rejected above");
        };
  }

  /**
   * Splits {@code data} into consecutive parts of at most {@code maxItems} items each (the last may
   * hold fewer); every item appears in exactly one part, with its resource and scope.
   *
   * @throws IllegalArgumentException for profiles larger than {@code maxItems} (see {@link
   *     Profiles})
   */
  @SuppressWarnings("unchecked")
  public static <T extends OtlpData> List<T> split(T data, int maxItems) {
    if (maxItems < 1) {
      throw new IllegalArgumentException("maxItems must be positive");
    }
    if (data.itemCount() <= maxItems) {
      return List.of(data);
    }
    return (List<T>)
        switch (data.signal()) {
          case TRACES -> splitTraces(((Traces) data).message(), maxItems);
          case METRICS -> splitMetrics(((Metrics) data).message(), maxItems);
          case LOGS -> splitLogs(((Logs) data).message(), maxItems);
          case PROFILES ->
              throw new IllegalArgumentException(
                  "profiles requests are not split: each indexes into its own dictionary");
        };
  }

  private static List<Traces> splitTraces(TracesData d, int max) {
    List<Traces> out = new ArrayList<>();
    TracesData.Builder cur = TracesData.newBuilder();
    int n = 0;
    for (ResourceSpans rs : d.getResourceSpansList()) {
      ResourceSpans.Builder rsb = null;
      for (ScopeSpans ss : rs.getScopeSpansList()) {
        ScopeSpans.Builder ssb = null;
        for (int i = 0; i < ss.getSpansCount(); i++) {
          if (n == max) {
            out.add(Traces.of(cur.build()));
            cur = TracesData.newBuilder();
            n = 0;
            rsb = null;
            ssb = null;
          }
          if (rsb == null) {
            rsb =
                cur.addResourceSpansBuilder()
                    .setResource(rs.getResource())
                    .setSchemaUrl(rs.getSchemaUrl());
          }
          if (ssb == null) {
            ssb =
                rsb.addScopeSpansBuilder().setScope(ss.getScope()).setSchemaUrl(ss.getSchemaUrl());
          }
          ssb.addSpans(ss.getSpans(i));
          n++;
        }
      }
    }
    if (n > 0) {
      out.add(Traces.of(cur.build()));
    }
    return out;
  }

  private static List<Logs> splitLogs(LogsData d, int max) {
    List<Logs> out = new ArrayList<>();
    LogsData.Builder cur = LogsData.newBuilder();
    int n = 0;
    for (ResourceLogs rl : d.getResourceLogsList()) {
      ResourceLogs.Builder rlb = null;
      for (ScopeLogs sl : rl.getScopeLogsList()) {
        ScopeLogs.Builder slb = null;
        for (int i = 0; i < sl.getLogRecordsCount(); i++) {
          if (n == max) {
            out.add(Logs.of(cur.build()));
            cur = LogsData.newBuilder();
            n = 0;
            rlb = null;
            slb = null;
          }
          if (rlb == null) {
            rlb =
                cur.addResourceLogsBuilder()
                    .setResource(rl.getResource())
                    .setSchemaUrl(rl.getSchemaUrl());
          }
          if (slb == null) {
            slb = rlb.addScopeLogsBuilder().setScope(sl.getScope()).setSchemaUrl(sl.getSchemaUrl());
          }
          slb.addLogRecords(sl.getLogRecords(i));
          n++;
        }
      }
    }
    if (n > 0) {
      out.add(Logs.of(cur.build()));
    }
    return out;
  }

  private static List<Metrics> splitMetrics(MetricsData d, int max) {
    List<Metrics> out = new ArrayList<>();
    MetricsData.Builder cur = MetricsData.newBuilder();
    int n = 0;
    for (ResourceMetrics rm : d.getResourceMetricsList()) {
      ResourceMetrics.Builder rmb = null;
      for (ScopeMetrics sm : rm.getScopeMetricsList()) {
        ScopeMetrics.Builder smb = null;
        for (Metric m : sm.getMetricsList()) {
          int points = Items.dataPoints(m);
          int from = 0;
          while (from < points) {
            if (n == max) {
              out.add(Metrics.of(cur.build()));
              cur = MetricsData.newBuilder();
              n = 0;
              rmb = null;
              smb = null;
            }
            if (rmb == null) {
              rmb =
                  cur.addResourceMetricsBuilder()
                      .setResource(rm.getResource())
                      .setSchemaUrl(rm.getSchemaUrl());
            }
            if (smb == null) {
              smb =
                  rmb.addScopeMetricsBuilder()
                      .setScope(sm.getScope())
                      .setSchemaUrl(sm.getSchemaUrl());
            }
            int take = Math.min(points - from, max - n);
            smb.addMetrics(slice(m, from, from + take));
            from += take;
            n += take;
          }
        }
      }
    }
    if (n > 0) {
      out.add(Metrics.of(cur.build()));
    }
    return out;
  }

  /** A copy of {@code m} holding only data points {@code [from, to)}. */
  private static Metric slice(Metric m, int from, int to) {
    if (from == 0 && to == Items.dataPoints(m)) {
      return m;
    }
    Metric.Builder b = m.toBuilder();
    switch (m.getDataCase()) {
      case GAUGE ->
          b.getGaugeBuilder()
              .clearDataPoints()
              .addAllDataPoints(m.getGauge().getDataPointsList().subList(from, to));
      case SUM ->
          b.getSumBuilder()
              .clearDataPoints()
              .addAllDataPoints(m.getSum().getDataPointsList().subList(from, to));
      case HISTOGRAM ->
          b.getHistogramBuilder()
              .clearDataPoints()
              .addAllDataPoints(m.getHistogram().getDataPointsList().subList(from, to));
      case EXPONENTIAL_HISTOGRAM ->
          b.getExponentialHistogramBuilder()
              .clearDataPoints()
              .addAllDataPoints(m.getExponentialHistogram().getDataPointsList().subList(from, to));
      case SUMMARY ->
          b.getSummaryBuilder()
              .clearDataPoints()
              .addAllDataPoints(m.getSummary().getDataPointsList().subList(from, to));
      case DATA_NOT_SET -> {}
    }
    return b.build();
  }
}
