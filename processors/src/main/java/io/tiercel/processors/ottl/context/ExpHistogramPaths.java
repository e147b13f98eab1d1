package io.tiercel.processors.ottl.context;

import static io.tiercel.processors.ottl.context.PathSupport.acc;

import io.opentelemetry.proto.metrics.v1.ExponentialHistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.ExponentialHistogramDataPointOrBuilder;
import io.tiercel.processors.ottl.eval.Accessor;
import io.tiercel.processors.ottl.eval.Values;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * The buckets of an exponential histogram data point: {@code positive.offset}, {@code
 * positive.bucket_counts} and the same under {@code negative}. Other data point types read nil and
 * ignore writes, as the other type-specific data point fields do.
 */
final class ExpHistogramPaths {
  private ExpHistogramPaths() {}

  static final List<String> FIELDS =
      List.of(
          "positive.offset", "positive.bucket_counts", "negative.offset", "negative.bucket_counts");

  static @Nullable Accessor resolve(String f) {
    return switch (f) {
      case "positive.offset" -> offset(true);
      case "negative.offset" -> offset(false);
      case "positive.bucket_counts" -> counts(true);
      case "negative.bucket_counts" -> counts(false);
      default -> null;
    };
  }

  private static ExponentialHistogramDataPoint.BucketsOrBuilder buckets(
      ExponentialHistogramDataPointOrBuilder h, boolean positive) {
    return positive ? h.getPositiveOrBuilder() : h.getNegativeOrBuilder();
  }

  private static ExponentialHistogramDataPoint.Buckets.Builder bucketsBuilder(
      ExponentialHistogramDataPoint.Builder h, boolean positive) {
    return positive ? h.getPositiveBuilder() : h.getNegativeBuilder();
  }

  private static Accessor offset(boolean positive) {
    return acc(
        c ->
            c.dataPoint() instanceof ExponentialHistogramDataPointOrBuilder h
                ? (Object) (long) buckets(h, positive).getOffset()
                : null,
        (c, v) -> {
          if (v instanceof Long l
              && c.dataPoint() instanceof ExponentialHistogramDataPoint.Builder h) {
            bucketsBuilder(h, positive).setOffset(Math.toIntExact(l));
          }
        });
  }

  private static Accessor counts(boolean positive) {
    Function<ExponentialHistogramDataPoint.BucketsOrBuilder, List<Long>> read =
        ExponentialHistogramDataPoint.BucketsOrBuilder::getBucketCountsList;
    return acc(
        c ->
            c.dataPoint() instanceof ExponentialHistogramDataPointOrBuilder h
                ? new ArrayList<Object>(read.apply(buckets(h, positive)))
                : null,
        (c, v) -> {
          if (v instanceof List<?> l
              && c.dataPoint() instanceof ExponentialHistogramDataPoint.Builder h) {
            ExponentialHistogramDataPoint.Buckets.Builder b = bucketsBuilder(h, positive);
            b.clearBucketCounts();
            for (Object o : l) {
              b.addBucketCounts((Long) Values.norm(o));
            }
          }
        });
  }
}
