package io.tiercel.processors.ottl.context;

import static io.tiercel.processors.ottl.context.PathSupport.acc;

import io.opentelemetry.proto.metrics.v1.Exemplar;
import io.opentelemetry.proto.metrics.v1.ExponentialHistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.ExponentialHistogramDataPointOrBuilder;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.HistogramDataPointOrBuilder;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.NumberDataPointOrBuilder;
import io.opentelemetry.proto.metrics.v1.SummaryDataPoint;
import io.opentelemetry.proto.metrics.v1.SummaryDataPointOrBuilder;
import io.tiercel.processors.ottl.eval.Accessor;
import io.tiercel.processors.ottl.eval.Values;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Data point parts as whole values: an exponential histogram point's {@code positive} and {@code
 * negative} buckets, a map of {@code offset} and {@code bucket_counts}, and a summary point's
 * {@code quantile_values}, a list of maps of {@code quantile} and {@code value}. The collector
 * hands these out as pdata objects; the maps are keyed by the collector's field names, so {@code
 * Len} and {@code set} from another point work. Points of other types read nil and ignore writes,
 * as the other type-specific fields do; a set of another shape is ignored. A point's {@code
 * exemplars} are a list of maps as {@link ProtoMaps} gives them (a summary point has none).
 */
final class DataPointParts {
  private DataPointParts() {}

  static final List<String> FIELDS =
      List.of("positive", "negative", "quantile_values", "exemplars");

  static @Nullable Accessor resolve(String f) {
    return switch (f) {
      case "positive" -> buckets(true);
      case "negative" -> buckets(false);
      case "quantile_values" -> quantiles();
      case "exemplars" -> exemplars();
      default -> null;
    };
  }

  private static Accessor buckets(boolean positive) {
    return acc(
        c -> {
          if (!(c.dataPoint() instanceof ExponentialHistogramDataPointOrBuilder h)) {
            return null;
          }
          ExponentialHistogramDataPoint.BucketsOrBuilder b =
              positive ? h.getPositiveOrBuilder() : h.getNegativeOrBuilder();
          Map<String, Object> m = new LinkedHashMap<>();
          m.put("offset", (long) b.getOffset());
          m.put("bucket_counts", new ArrayList<Object>(b.getBucketCountsList()));
          return m;
        },
        (c, v) -> {
          if (v instanceof Map<?, ?> m
              && c.dataPoint() instanceof ExponentialHistogramDataPoint.Builder h) {
            ExponentialHistogramDataPoint.Buckets.Builder b =
                ExponentialHistogramDataPoint.Buckets.newBuilder();
            if (m.get("offset") instanceof Long o) {
              b.setOffset(Math.toIntExact(o));
            }
            if (m.get("bucket_counts") instanceof List<?> counts) {
              for (Object n : counts) {
                if (Values.norm(n) instanceof Long l) {
                  b.addBucketCounts(l);
                }
              }
            }
            if (positive) {
              h.setPositive(b);
            } else {
              h.setNegative(b);
            }
          }
        });
  }

  private static Accessor quantiles() {
    return acc(
        c -> {
          if (!(c.dataPoint() instanceof SummaryDataPointOrBuilder s)) {
            return null;
          }
          List<Object> out = new ArrayList<>(s.getQuantileValuesCount());
          for (SummaryDataPoint.ValueAtQuantile q : s.getQuantileValuesList()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("quantile", q.getQuantile());
            m.put("value", q.getValue());
            out.add(m);
          }
          return out;
        },
        (c, v) -> {
          if (v instanceof List<?> l
              && l.stream().allMatch(e -> e instanceof Map<?, ?>)
              && c.dataPoint() instanceof SummaryDataPoint.Builder s) {
            s.clearQuantileValues();
            for (Object e : l) {
              Map<?, ?> m = (Map<?, ?>) e;
              SummaryDataPoint.ValueAtQuantile.Builder q =
                  SummaryDataPoint.ValueAtQuantile.newBuilder();
              if (m.get("quantile") instanceof Number n) {
                q.setQuantile(n.doubleValue());
              }
              if (m.get("value") instanceof Number n) {
                q.setValue(n.doubleValue());
              }
              s.addQuantileValues(q);
            }
          }
        });
  }

  private static Accessor exemplars() {
    return acc(
        c -> {
          List<Exemplar> list = exemplarsOf(c.dataPoint());
          if (list == null) {
            return null;
          }
          List<Object> out = new ArrayList<>(list.size());
          for (Exemplar e : list) {
            out.add(ProtoMaps.toMap(e));
          }
          return out;
        },
        (c, v) -> {
          if (!(v instanceof List<?> l)) {
            return;
          }
          List<Exemplar> built = new ArrayList<>(l.size());
          for (Object e : l) {
            Exemplar.Builder b =
                e instanceof Map<?, ?> m ? ProtoMaps.fromMap(Exemplar.newBuilder(), m) : null;
            if (b == null) {
              return;
            }
            built.add(b.build());
          }
          Object dp = c.dataPoint();
          if (dp instanceof NumberDataPoint.Builder n) {
            n.clearExemplars().addAllExemplars(built);
          } else if (dp instanceof HistogramDataPoint.Builder h) {
            h.clearExemplars().addAllExemplars(built);
          } else if (dp instanceof ExponentialHistogramDataPoint.Builder h) {
            h.clearExemplars().addAllExemplars(built);
          }
        });
  }

  private static @Nullable List<Exemplar> exemplarsOf(Object dp) {
    if (dp instanceof NumberDataPointOrBuilder n) {
      return n.getExemplarsList();
    }
    if (dp instanceof HistogramDataPointOrBuilder h) {
      return h.getExemplarsList();
    }
    if (dp instanceof ExponentialHistogramDataPointOrBuilder h) {
      return h.getExemplarsList();
    }
    return null;
  }
}
