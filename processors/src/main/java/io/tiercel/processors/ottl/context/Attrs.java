package io.tiercel.processors.ottl.context;

import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.InstrumentationScopeOrBuilder;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.LogRecordOrBuilder;
import io.opentelemetry.proto.metrics.v1.Exemplar;
import io.opentelemetry.proto.metrics.v1.ExemplarOrBuilder;
import io.opentelemetry.proto.metrics.v1.ExponentialHistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.ExponentialHistogramDataPointOrBuilder;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.HistogramDataPointOrBuilder;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.NumberDataPointOrBuilder;
import io.opentelemetry.proto.metrics.v1.SummaryDataPoint;
import io.opentelemetry.proto.metrics.v1.SummaryDataPointOrBuilder;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.resource.v1.ResourceOrBuilder;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.SpanOrBuilder;
import java.util.List;

/**
 * Attribute lists of every OTLP type that has them (an exemplar's are its filtered attributes),
 * read from messages or builders, written to builders.
 */
public final class Attrs {
  private Attrs() {}

  public static List<KeyValue> list(Object o) {
    if (o instanceof SpanOrBuilder x) {
      return x.getAttributesList();
    } else if (o instanceof ResourceOrBuilder x) {
      return x.getAttributesList();
    } else if (o instanceof InstrumentationScopeOrBuilder x) {
      return x.getAttributesList();
    } else if (o instanceof Span.EventOrBuilder x) {
      return x.getAttributesList();
    } else if (o instanceof LogRecordOrBuilder x) {
      return x.getAttributesList();
    } else if (o instanceof NumberDataPointOrBuilder x) {
      return x.getAttributesList();
    } else if (o instanceof HistogramDataPointOrBuilder x) {
      return x.getAttributesList();
    } else if (o instanceof ExponentialHistogramDataPointOrBuilder x) {
      return x.getAttributesList();
    } else if (o instanceof SummaryDataPointOrBuilder x) {
      return x.getAttributesList();
    } else if (o instanceof ExemplarOrBuilder x) {
      return x.getFilteredAttributesList();
    }
    throw new IllegalStateException(
        "no attributes on " + (o == null ? "null" : o.getClass().getName()));
  }

  /** The value of {@code key}, or null. */
  public static AnyValue find(Object o, String key) {
    List<KeyValue> l = list(o);
    for (int i = 0, n = l.size(); i < n; i++) {
      KeyValue kv = l.get(i);
      if (kv.getKey().equals(key)) {
        return kv.getValue();
      }
    }
    return null;
  }

  /** Sets {@code key}: replaces in place when present, appends otherwise. */
  public static void put(Object o, String key, AnyValue v) {
    KeyValue kv = KeyValue.newBuilder().setKey(key).setValue(v).build();
    List<KeyValue> l = list(o);
    for (int i = 0, n = l.size(); i < n; i++) {
      if (l.get(i).getKey().equals(key)) {
        setAt(o, i, kv);
        return;
      }
    }
    add(o, kv);
  }

  private static void setAt(Object o, int i, KeyValue kv) {
    if (o instanceof Span.Builder x) {
      x.setAttributes(i, kv);
    } else if (o instanceof Resource.Builder x) {
      x.setAttributes(i, kv);
    } else if (o instanceof InstrumentationScope.Builder x) {
      x.setAttributes(i, kv);
    } else if (o instanceof Span.Event.Builder x) {
      x.setAttributes(i, kv);
    } else if (o instanceof LogRecord.Builder x) {
      x.setAttributes(i, kv);
    } else if (o instanceof NumberDataPoint.Builder x) {
      x.setAttributes(i, kv);
    } else if (o instanceof HistogramDataPoint.Builder x) {
      x.setAttributes(i, kv);
    } else if (o instanceof ExponentialHistogramDataPoint.Builder x) {
      x.setAttributes(i, kv);
    } else if (o instanceof SummaryDataPoint.Builder x) {
      x.setAttributes(i, kv);
    } else if (o instanceof Exemplar.Builder x) {
      x.setFilteredAttributes(i, kv);
    } else {
      throw readOnly(o);
    }
  }

  private static void add(Object o, KeyValue kv) {
    if (o instanceof Span.Builder x) {
      x.addAttributes(kv);
    } else if (o instanceof Resource.Builder x) {
      x.addAttributes(kv);
    } else if (o instanceof InstrumentationScope.Builder x) {
      x.addAttributes(kv);
    } else if (o instanceof Span.Event.Builder x) {
      x.addAttributes(kv);
    } else if (o instanceof LogRecord.Builder x) {
      x.addAttributes(kv);
    } else if (o instanceof NumberDataPoint.Builder x) {
      x.addAttributes(kv);
    } else if (o instanceof HistogramDataPoint.Builder x) {
      x.addAttributes(kv);
    } else if (o instanceof ExponentialHistogramDataPoint.Builder x) {
      x.addAttributes(kv);
    } else if (o instanceof SummaryDataPoint.Builder x) {
      x.addAttributes(kv);
    } else if (o instanceof Exemplar.Builder x) {
      x.addFilteredAttributes(kv);
    } else {
      throw readOnly(o);
    }
  }

  /**
   * Removes the entries whose key matches, keeping the order of the others; returns how many went.
   */
  public static int removeIf(Object o, java.util.function.Predicate<String> drop) {
    List<KeyValue> l = list(o);
    int removed = 0;
    for (int i = l.size() - 1; i >= 0; i--) {
      if (drop.test(l.get(i).getKey())) {
        remove(o, i);
        removed++;
        l = list(o);
      }
    }
    return removed;
  }

  /** Replaces the value at index {@code i}. */
  public static void set(Object o, int i, KeyValue kv) {
    setAt(o, i, kv);
  }

  private static void remove(Object o, int i) {
    if (o instanceof Span.Builder x) {
      x.removeAttributes(i);
    } else if (o instanceof Resource.Builder x) {
      x.removeAttributes(i);
    } else if (o instanceof InstrumentationScope.Builder x) {
      x.removeAttributes(i);
    } else if (o instanceof Span.Event.Builder x) {
      x.removeAttributes(i);
    } else if (o instanceof LogRecord.Builder x) {
      x.removeAttributes(i);
    } else if (o instanceof NumberDataPoint.Builder x) {
      x.removeAttributes(i);
    } else if (o instanceof HistogramDataPoint.Builder x) {
      x.removeAttributes(i);
    } else if (o instanceof ExponentialHistogramDataPoint.Builder x) {
      x.removeAttributes(i);
    } else if (o instanceof SummaryDataPoint.Builder x) {
      x.removeAttributes(i);
    } else if (o instanceof Exemplar.Builder x) {
      x.removeFilteredAttributes(i);
    } else {
      throw readOnly(o);
    }
  }

  /** Replaces the whole list. */
  public static void replace(Object o, List<KeyValue> kvs) {
    if (o instanceof Span.Builder x) {
      x.clearAttributes().addAllAttributes(kvs);
    } else if (o instanceof Resource.Builder x) {
      x.clearAttributes().addAllAttributes(kvs);
    } else if (o instanceof InstrumentationScope.Builder x) {
      x.clearAttributes().addAllAttributes(kvs);
    } else if (o instanceof Span.Event.Builder x) {
      x.clearAttributes().addAllAttributes(kvs);
    } else if (o instanceof LogRecord.Builder x) {
      x.clearAttributes().addAllAttributes(kvs);
    } else if (o instanceof NumberDataPoint.Builder x) {
      x.clearAttributes().addAllAttributes(kvs);
    } else if (o instanceof HistogramDataPoint.Builder x) {
      x.clearAttributes().addAllAttributes(kvs);
    } else if (o instanceof ExponentialHistogramDataPoint.Builder x) {
      x.clearAttributes().addAllAttributes(kvs);
    } else if (o instanceof SummaryDataPoint.Builder x) {
      x.clearAttributes().addAllAttributes(kvs);
    } else if (o instanceof Exemplar.Builder x) {
      x.clearFilteredAttributes().addAllFilteredAttributes(kvs);
    } else {
      throw readOnly(o);
    }
  }

  public static IllegalStateException readOnly(Object o) {
    return new IllegalStateException(
        "cannot modify read-only " + (o == null ? "null" : o.getClass().getName()));
  }
}
