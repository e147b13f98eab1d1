package io.tiercel.processors.ottl.context;

import static io.tiercel.processors.ottl.context.PathSupport.acc;
import static io.tiercel.processors.ottl.context.PathSupport.attributes;
import static io.tiercel.processors.ottl.context.PathSupport.intOf;

import io.opentelemetry.proto.metrics.v1.ExponentialHistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.ExponentialHistogramDataPointOrBuilder;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.HistogramDataPointOrBuilder;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.NumberDataPointOrBuilder;
import io.opentelemetry.proto.metrics.v1.SummaryDataPoint;
import io.opentelemetry.proto.metrics.v1.SummaryDataPointOrBuilder;
import io.tiercel.processors.ottl.eval.Accessor;
import io.tiercel.processors.ottl.eval.Getter;
import io.tiercel.processors.ottl.eval.Values;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** The {@code datapoint} context: the fields of the four data point types. */
final class DataPointPaths {
  private DataPointPaths() {}

  /** The paths of the context, for error messages. */
  static final List<String> FIELDS =
      List.of(
          "attributes",
          "start_time_unix_nano",
          "time_unix_nano",
          "start_time",
          "time",
          "value_double",
          "value_int",
          "flags",
          "count",
          "sum",
          "bucket_counts",
          "explicit_bounds",
          "scale",
          "zero_count",
          "cache");

  static @Nullable Accessor resolve(String f, Getter[] keys) {
    return switch (f) {
      case "attributes" -> attributes(c -> c.dataPoint(), keys);
      case "start_time_unix_nano" ->
          acc(
              c -> dpStart(c.dataPoint()),
              (c, v) -> {
                if (v instanceof Long l) {
                  setDpStart(c.dataPoint(), l);
                }
              });
      case "time_unix_nano" ->
          acc(
              c -> dpTime(c.dataPoint()),
              (c, v) -> {
                if (v instanceof Long l) {
                  setDpTime(c.dataPoint(), l);
                }
              });
      case "start_time" ->
          acc(
              c -> Values.fromUnixNanos(dpStart(c.dataPoint())),
              (c, v) -> {
                if (v instanceof Instant t) {
                  setDpStart(c.dataPoint(), Values.unixNanos(t));
                }
              });
      case "time" ->
          acc(
              c -> Values.fromUnixNanos(dpTime(c.dataPoint())),
              (c, v) -> {
                if (v instanceof Instant t) {
                  setDpTime(c.dataPoint(), Values.unixNanos(t));
                }
              });
      case "value_double" ->
          acc(
              c -> c.dataPoint() instanceof NumberDataPointOrBuilder n ? n.getAsDouble() : null,
              (c, v) -> {
                if (v instanceof Double d && c.dataPoint() instanceof NumberDataPoint.Builder n) {
                  n.setAsDouble(d);
                }
              });
      case "value_int" ->
          acc(
              c -> c.dataPoint() instanceof NumberDataPointOrBuilder n ? n.getAsInt() : null,
              (c, v) -> {
                if (v instanceof Long l && c.dataPoint() instanceof NumberDataPoint.Builder n) {
                  n.setAsInt(l);
                }
              });
      case "flags" ->
          acc(
              c -> (long) dpFlags(c.dataPoint()),
              (c, v) -> {
                if (v instanceof Long) {
                  setDpFlags(c.dataPoint(), intOf(v));
                }
              });
      case "count" ->
          acc(
              c -> {
                Object dp = c.dataPoint();
                if (dp instanceof HistogramDataPointOrBuilder h) {
                  return h.getCount();
                } else if (dp instanceof ExponentialHistogramDataPointOrBuilder h) {
                  return h.getCount();
                } else if (dp instanceof SummaryDataPointOrBuilder h) {
                  return h.getCount();
                }
                return null;
              },
              (c, v) -> {
                if (v instanceof Long l) {
                  Object dp = c.dataPoint();
                  if (dp instanceof HistogramDataPoint.Builder h) {
                    h.setCount(l);
                  } else if (dp instanceof ExponentialHistogramDataPoint.Builder h) {
                    h.setCount(l);
                  } else if (dp instanceof SummaryDataPoint.Builder h) {
                    h.setCount(l);
                  }
                }
              });
      case "sum" ->
          acc(
              c -> {
                Object dp = c.dataPoint();
                if (dp instanceof HistogramDataPointOrBuilder h) {
                  return h.getSum();
                } else if (dp instanceof ExponentialHistogramDataPointOrBuilder h) {
                  return h.getSum();
                } else if (dp instanceof SummaryDataPointOrBuilder h) {
                  return h.getSum();
                }
                return null;
              },
              (c, v) -> {
                if (v instanceof Double d) {
                  Object dp = c.dataPoint();
                  if (dp instanceof HistogramDataPoint.Builder h) {
                    h.setSum(d);
                  } else if (dp instanceof ExponentialHistogramDataPoint.Builder h) {
                    h.setSum(d);
                  } else if (dp instanceof SummaryDataPoint.Builder h) {
                    h.setSum(d);
                  }
                }
              });
      case "bucket_counts" ->
          acc(
              c ->
                  c.dataPoint() instanceof HistogramDataPointOrBuilder h
                      ? new ArrayList<Object>(h.getBucketCountsList())
                      : null,
              (c, v) -> {
                if (v instanceof List<?> l
                    && c.dataPoint() instanceof HistogramDataPoint.Builder h) {
                  h.clearBucketCounts();
                  for (Object o : l) {
                    h.addBucketCounts((Long) Values.norm(o));
                  }
                }
              });
      case "explicit_bounds" ->
          acc(
              c ->
                  c.dataPoint() instanceof HistogramDataPointOrBuilder h
                      ? new ArrayList<Object>(h.getExplicitBoundsList())
                      : null,
              (c, v) -> {
                if (v instanceof List<?> l
                    && c.dataPoint() instanceof HistogramDataPoint.Builder h) {
                  h.clearExplicitBounds();
                  for (Object o : l) {
                    Object n = Values.norm(o);
                    h.addExplicitBounds(n instanceof Long x ? x.doubleValue() : (Double) n);
                  }
                }
              });
      case "scale" ->
          acc(
              c ->
                  c.dataPoint() instanceof ExponentialHistogramDataPointOrBuilder h
                      ? (Object) (long) h.getScale()
                      : null,
              (c, v) -> {
                if (v instanceof Long
                    && c.dataPoint() instanceof ExponentialHistogramDataPoint.Builder h) {
                  h.setScale(intOf(v));
                }
              });
      case "zero_count" ->
          acc(
              c ->
                  c.dataPoint() instanceof ExponentialHistogramDataPointOrBuilder h
                      ? (Object) h.getZeroCount()
                      : null,
              (c, v) -> {
                if (v instanceof Long l
                    && c.dataPoint() instanceof ExponentialHistogramDataPoint.Builder h) {
                  h.setZeroCount(l);
                }
              });
      default -> null;
    };
  }

  private static long dpStart(Object dp) {
    if (dp instanceof NumberDataPointOrBuilder d) {
      return d.getStartTimeUnixNano();
    } else if (dp instanceof HistogramDataPointOrBuilder d) {
      return d.getStartTimeUnixNano();
    } else if (dp instanceof ExponentialHistogramDataPointOrBuilder d) {
      return d.getStartTimeUnixNano();
    } else if (dp instanceof SummaryDataPointOrBuilder d) {
      return d.getStartTimeUnixNano();
    }
    return 0L;
  }

  private static long dpTime(Object dp) {
    if (dp instanceof NumberDataPointOrBuilder d) {
      return d.getTimeUnixNano();
    } else if (dp instanceof HistogramDataPointOrBuilder d) {
      return d.getTimeUnixNano();
    } else if (dp instanceof ExponentialHistogramDataPointOrBuilder d) {
      return d.getTimeUnixNano();
    } else if (dp instanceof SummaryDataPointOrBuilder d) {
      return d.getTimeUnixNano();
    }
    return 0L;
  }

  private static int dpFlags(Object dp) {
    if (dp instanceof NumberDataPointOrBuilder d) {
      return d.getFlags();
    } else if (dp instanceof HistogramDataPointOrBuilder d) {
      return d.getFlags();
    } else if (dp instanceof ExponentialHistogramDataPointOrBuilder d) {
      return d.getFlags();
    } else if (dp instanceof SummaryDataPointOrBuilder d) {
      return d.getFlags();
    }
    return 0;
  }

  private static void setDpStart(Object dp, long v) {
    if (dp instanceof NumberDataPoint.Builder d) {
      d.setStartTimeUnixNano(v);
    } else if (dp instanceof HistogramDataPoint.Builder d) {
      d.setStartTimeUnixNano(v);
    } else if (dp instanceof ExponentialHistogramDataPoint.Builder d) {
      d.setStartTimeUnixNano(v);
    } else if (dp instanceof SummaryDataPoint.Builder d) {
      d.setStartTimeUnixNano(v);
    } else {
      throw Attrs.readOnly(dp);
    }
  }

  private static void setDpTime(Object dp, long v) {
    if (dp instanceof NumberDataPoint.Builder d) {
      d.setTimeUnixNano(v);
    } else if (dp instanceof HistogramDataPoint.Builder d) {
      d.setTimeUnixNano(v);
    } else if (dp instanceof ExponentialHistogramDataPoint.Builder d) {
      d.setTimeUnixNano(v);
    } else if (dp instanceof SummaryDataPoint.Builder d) {
      d.setTimeUnixNano(v);
    } else {
      throw Attrs.readOnly(dp);
    }
  }

  private static void setDpFlags(Object dp, int v) {
    if (dp instanceof NumberDataPoint.Builder d) {
      d.setFlags(v);
    } else if (dp instanceof HistogramDataPoint.Builder d) {
      d.setFlags(v);
    } else if (dp instanceof ExponentialHistogramDataPoint.Builder d) {
      d.setFlags(v);
    } else if (dp instanceof SummaryDataPoint.Builder d) {
      d.setFlags(v);
    } else {
      throw Attrs.readOnly(dp);
    }
  }
}
