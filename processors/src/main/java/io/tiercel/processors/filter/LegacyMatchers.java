package io.tiercel.processors.filter;

import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.Span;
import io.tiercel.core.config.InvalidValueException;
import io.tiercel.core.pdata.Signal;
import io.tiercel.processors.filter.LegacyMatch.Attribute;
import io.tiercel.processors.filter.LegacyMatch.Library;
import io.tiercel.processors.filter.LegacyMatch.LogProperties;
import io.tiercel.processors.filter.LegacyMatch.MetricProperties;
import io.tiercel.processors.filter.LegacyMatch.SpanProperties;
import io.tiercel.processors.ottl.context.OttlContext;
import io.tiercel.processors.ottl.eval.CurrentItem;
import io.tiercel.processors.ottl.eval.Values;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.jspecify.annotations.Nullable;

/**
 * Compiles the legacy matcher keys ({@link LegacyMatch}) into predicates over the current item,
 * with the collector's decisions: {@code strict} is string equality, {@code regexp} matches when
 * the pattern is found anywhere in the string (Go's {@code MatchString}, not a full match); every
 * property given must match, one entry of a list is enough, except attributes, which must all match
 * (a key without value: the key is present). An include keeps only what matches; an exclude drops
 * what matches; with both, an item is dropped when it fails the include or matches the exclude.
 * Errors carry the collector's messages.
 */
final class LegacyMatchers {
  private LegacyMatchers() {}

  static final String STRICT = "strict";
  static final String REGEXP = "regexp";

  /** Drop when not matching {@code include} or matching {@code exclude} (either may be null). */
  static @Nullable Predicate<CurrentItem> skip(
      @Nullable Predicate<CurrentItem> include, @Nullable Predicate<CurrentItem> exclude) {
    if (include == null) {
      return exclude;
    }
    if (exclude == null) {
      return include.negate();
    }
    return c -> !include.test(c) || exclude.test(c);
  }

  /** The legacy matchers of the three signals, compiled; resource-level ones first. */
  static List<FilterConfig.LegacySkip> compile(
      LegacyMatch.@Nullable Spans spans,
      FilterConfig.MetricFilters metrics,
      FilterConfig.LogFilters logs) {
    List<FilterConfig.LegacySkip> out = new ArrayList<>();
    if (spans != null) {
      Predicate<CurrentItem> s =
          skip(
              spans.include() == null ? null : span("spans.include", spans.include()),
              spans.exclude() == null ? null : span("spans.exclude", spans.exclude()));
      if (s != null) {
        out.add(new FilterConfig.LegacySkip(Signal.TRACES, OttlContext.SPAN, spans, s));
      }
    }
    MetricProperties in = metrics.include();
    MetricProperties ex = metrics.exclude();
    Predicate<CurrentItem> resource =
        skip(
            in == null ? null : metricResource("metrics.include", in),
            ex == null ? null : metricResource("metrics.exclude", ex));
    if (resource != null) {
      out.add(
          new FilterConfig.LegacySkip(
              Signal.METRICS, OttlContext.RESOURCE, sources(in, ex, "resource"), resource));
    }
    Predicate<CurrentItem> names =
        skip(
            in == null ? null : metricNames("metrics.include", in),
            ex == null ? null : metricNames("metrics.exclude", ex));
    if (names != null) {
      out.add(
          new FilterConfig.LegacySkip(
              Signal.METRICS, OttlContext.METRIC, sources(in, ex, "metric"), names));
    }
    Predicate<CurrentItem> records =
        skip(
            logs.include() == null ? null : log("logs.include", logs.include()),
            logs.exclude() == null ? null : log("logs.exclude", logs.exclude()));
    if (records != null) {
      out.add(
          new FilterConfig.LegacySkip(
              Signal.LOGS,
              OttlContext.LOG,
              sources(logs.include(), logs.exclude(), "log"),
              records));
    }
    return List.copyOf(out);
  }

  private static List<Object> sources(
      @Nullable Object include, @Nullable Object exclude, String what) {
    return java.util.Arrays.asList(include, exclude, what);
  }

  // ------------------------------------------------------------------ spans

  /** A span matcher; the collector's span validation first. */
  static Predicate<CurrentItem> span(String key, SpanProperties p) {
    if (!p.logBodies().isEmpty()) {
      throw new InvalidValueException(key, "log_bodies should not be specified for trace spans");
    }
    if (!p.logSeverityTexts().isEmpty()) {
      throw new InvalidValueException(
          key, "log_severity_texts should not be specified for trace spans");
    }
    if (p.logSeverityNumber() != null) {
      throw new InvalidValueException(
          key, "log_severity_number should not be specified for trace spans");
    }
    if (p.services().isEmpty()
        && p.spanNames().isEmpty()
        && p.attributes().isEmpty()
        && p.libraries().isEmpty()
        && p.resources().isEmpty()
        && p.spanKinds().isEmpty()) {
      throw new InvalidValueException(
          key,
          "at least one of \"attributes\", \"libraries\",  or \"resources\" field must be"
              + " specified");
    }
    String type = matchType(key, p.matchType());
    if (STRICT.equals(type)) {
      for (String kind : p.spanKinds()) {
        if (!List.of(SPAN_KINDS).contains(kind)) {
          throw new InvalidValueException(
              key + ".span_kinds",
              "span_kinds string must match one of the standard span kinds when match_type=strict: "
                  + "["
                  + String.join(" ", SPAN_KINDS)
                  + "]");
        }
      }
    }
    List<Predicate<CurrentItem>> all = new ArrayList<>();
    if (!p.services().isEmpty()) {
      Predicate<String> s = strings(key + ".services", type, p.services());
      all.add(
          c -> {
            AnyValue v = find(c.resource().getAttributesList(), "service.name");
            return v != null && s.test(asString(v));
          });
    }
    if (!p.spanNames().isEmpty()) {
      Predicate<String> s = strings(key + ".span_names", type, p.spanNames());
      all.add(c -> s.test(c.span().getName()));
    }
    if (!p.spanKinds().isEmpty()) {
      Predicate<String> s = strings(key + ".span_kinds", type, p.spanKinds());
      all.add(c -> s.test(kindName(c.span().getKind())));
    }
    if (!p.libraries().isEmpty()) {
      List<String> names = new ArrayList<>();
      List<String> versions = new ArrayList<>();
      for (Library l : p.libraries()) {
        if (l == null) {
          throw new InvalidValueException(
              key + ".libraries", "expected a map with name and version; got null");
        }
        names.add(l.name() == null ? "" : l.name());
        if (l.version() != null) {
          versions.add(l.version());
        }
      }
      Predicate<String> n = strings(key + ".libraries", type, names);
      all.add(c -> n.test(c.scope().getName()));
      if (!versions.isEmpty()) {
        Predicate<String> v = strings(key + ".libraries", type, versions);
        all.add(c -> v.test(c.scope().getVersion()));
      }
    }
    if (!p.attributes().isEmpty()) {
      Predicate<List<KeyValue>> a = attributes(key + ".attributes", type, p.attributes());
      all.add(c -> a.test(c.span().getAttributesList()));
    }
    if (!p.resources().isEmpty()) {
      Predicate<List<KeyValue>> a = attributes(key + ".resources", type, p.resources());
      all.add(c -> a.test(c.resource().getAttributesList()));
    }
    return and(all);
  }

  private static final String[] SPAN_KINDS = {
    "SPAN_KIND_CLIENT",
    "SPAN_KIND_CONSUMER",
    "SPAN_KIND_INTERNAL",
    "SPAN_KIND_PRODUCER",
    "SPAN_KIND_SERVER"
  };

  private static String kindName(Span.SpanKind k) {
    return switch (k) {
      case SPAN_KIND_INTERNAL -> "SPAN_KIND_INTERNAL";
      case SPAN_KIND_SERVER -> "SPAN_KIND_SERVER";
      case SPAN_KIND_CLIENT -> "SPAN_KIND_CLIENT";
      case SPAN_KIND_PRODUCER -> "SPAN_KIND_PRODUCER";
      case SPAN_KIND_CONSUMER -> "SPAN_KIND_CONSUMER";
      default -> "SPAN_KIND_UNSPECIFIED";
    };
  }

  // ------------------------------------------------------------------ metrics

  /**
   * A metric-name matcher, or null when no names are given (the collector then matches nothing
   * against names).
   */
  static @Nullable Predicate<CurrentItem> metricNames(String key, MetricProperties p) {
    if ("expr".equals(p.matchType())) {
      if (p.expressions().isEmpty()) {
        return null;
      }
      throw new InvalidValueException(
          key + ".expressions",
          "expressions configuration cannot be converted to OTTL - see"
              + " https://github.com/open-telemetry/opentelemetry-collector-contrib"
              + "/tree/main/processor/filterprocessor#configuration"
              + " for OTTL configuration");
    }
    if (p.metricNames().isEmpty()) {
      return null;
    }
    Predicate<String> s =
        strings(key + ".metric_names", matchType(key, p.matchType()), p.metricNames());
    return c -> s.test(c.metric().getName());
  }

  /** A resource matcher over {@code resource_attributes}, or null when none are given. */
  static @Nullable Predicate<CurrentItem> metricResource(String key, MetricProperties p) {
    if (p.resourceAttributes().isEmpty()) {
      return null;
    }
    Predicate<List<KeyValue>> a =
        attributes(key + ".resource_attributes", p.matchType(), p.resourceAttributes());
    return c -> a.test(c.resource().getAttributesList());
  }

  // ------------------------------------------------------------------ logs

  /** A log record matcher, or null for properties the collector ignores as empty. */
  static @Nullable Predicate<CurrentItem> log(String key, LogProperties p) {
    if (p.isEmpty()) {
      return null;
    }
    int min = p.severityNumber() == null ? 0 : severity(key, p.severityNumber().min());
    String type = p.matchType();
    List<Predicate<CurrentItem>> all = new ArrayList<>();
    if (!p.bodies().isEmpty()) {
      Predicate<String> s = strings(key + ".bodies", matchType(key, type), p.bodies());
      all.add(c -> s.test(asString(c.log().getBody())));
    }
    if (!p.severityTexts().isEmpty()) {
      Predicate<String> s =
          strings(key + ".severity_texts", matchType(key, type), p.severityTexts());
      all.add(c -> s.test(c.log().getSeverityText()));
    }
    if (p.severityNumber() != null) {
      boolean undefined = p.severityNumber().matchUndefined();
      all.add(
          c -> {
            int n = c.log().getSeverityNumberValue();
            return n == 0 ? undefined : n >= min;
          });
    }
    if (!p.resourceAttributes().isEmpty()) {
      Predicate<List<KeyValue>> a =
          attributes(key + ".resource_attributes", type, p.resourceAttributes());
      all.add(c -> a.test(c.resource().getAttributesList()));
    }
    if (!p.recordAttributes().isEmpty()) {
      Predicate<List<KeyValue>> a =
          attributes(key + ".record_attributes", type, p.recordAttributes());
      all.add(c -> a.test(c.log().getAttributesList()));
    }
    return and(all);
  }

  private static final List<String> SEVERITIES =
      List.of("TRACE", "DEBUG", "INFO", "WARN", "ERROR", "FATAL");

  /** A severity given as 1-24 or a name such as INFO, warn2 (case ignored); empty is 0. */
  private static int severity(String key, @Nullable String min) {
    if (min == null || min.isEmpty()) {
      return 0;
    }
    String s = min.toUpperCase(Locale.ROOT);
    if (s.matches("[1-9]|1[0-9]|2[0-4]")) {
      return Integer.parseInt(s);
    }
    for (int i = 0; i < SEVERITIES.size(); i++) {
      String name = SEVERITIES.get(i);
      if (s.equals(name)) {
        return i * 4 + 1;
      }
      if (s.matches(name + "[234]")) {
        return i * 4 + (s.charAt(s.length() - 1) - '0');
      }
    }
    throw new InvalidValueException(
        key + ".severity_number.min",
        "'" + min + "' is not a valid severity: not a valid severity");
  }

  // ------------------------------------------------------------------ shared

  private static String matchType(String key, @Nullable String type) {
    if (STRICT.equals(type) || REGEXP.equals(type)) {
      return type;
    }
    throw new InvalidValueException(
        key + ".match_type",
        "unrecognized match_type: '"
            + (type == null ? "" : type)
            + "', valid types are: [regexp strict]");
  }

  /** True when the string equals (strict) or contains a match of (regexp) one of {@code values}. */
  private static Predicate<String> strings(String key, String type, List<String> values) {
    for (int i = 0; i < values.size(); i++) {
      if (values.get(i) == null) {
        throw new InvalidValueException(key + "[" + i + "]", "expected a string; got null");
      }
    }
    if (STRICT.equals(type)) {
      List<String> set = List.copyOf(values);
      return set::contains;
    }
    List<Pattern> patterns = new ArrayList<>(values.size());
    for (String v : values) {
      patterns.add(pattern(key, v));
    }
    return s -> {
      for (Pattern p : patterns) {
        if (p.matcher(s).find()) {
          return true;
        }
      }
      return false;
    };
  }

  private static Pattern pattern(String key, String regex) {
    try {
      return Pattern.compile(regex);
    } catch (PatternSyntaxException e) {
      throw new InvalidValueException(
          key, "error parsing regexp: " + e.getDescription() + ": `" + regex + "`");
    }
  }

  /** All {@code wanted} attributes present (and matching their value, where one is given). */
  private static Predicate<List<KeyValue>> attributes(
      String key, @Nullable String type, List<Attribute> wanted) {
    List<String> keys = new ArrayList<>();
    List<@Nullable Predicate<AnyValue>> values = new ArrayList<>();
    for (Attribute a : wanted) {
      if (a == null) {
        throw new InvalidValueException(key, "expected a map with key and value; got null");
      }
      if (a.key() == null || a.key().isEmpty()) {
        throw new InvalidValueException(key, "can't have empty key in the list of attributes");
      }
      keys.add(a.key());
      values.add(a.value() == null ? null : value(key, type, a));
    }
    return attrs -> {
      if (attrs.isEmpty()) {
        return false;
      }
      for (int i = 0; i < keys.size(); i++) {
        AnyValue v = find(attrs, keys.get(i));
        Predicate<AnyValue> m = values.get(i);
        if (v == null || (m != null && !m.test(v))) {
          return false;
        }
      }
      return true;
    };
  }

  private static Predicate<AnyValue> value(String key, @Nullable String type, Attribute a) {
    AnyValue want = Values.toAny(a.value());
    if (REGEXP.equals(type)) {
      if (!(a.value() instanceof String s)) {
        throw new InvalidValueException(
            key,
            "match_type=regexp for \""
                + a.key()
                + "\" only supports Str, but found "
                + typeName(want));
      }
      Predicate<String> p = strings(key, REGEXP, List.of(s));
      return v -> {
        String text = scalarString(v);
        return text != null && p.test(text);
      };
    }
    matchType(key, type);
    return want::equals;
  }

  private static String typeName(AnyValue v) {
    return switch (v.getValueCase()) {
      case STRING_VALUE -> "Str";
      case INT_VALUE -> "Int";
      case DOUBLE_VALUE -> "Double";
      case BOOL_VALUE -> "Bool";
      case ARRAY_VALUE -> "Slice";
      case KVLIST_VALUE -> "Map";
      case BYTES_VALUE -> "Bytes";
      default -> "Empty";
    };
  }

  /** An attribute value as the collector's regexp attribute match sees it; null: no match. */
  private static @Nullable String scalarString(AnyValue v) {
    return switch (v.getValueCase()) {
      case STRING_VALUE -> v.getStringValue();
      case BOOL_VALUE -> Boolean.toString(v.getBoolValue());
      case INT_VALUE -> Long.toString(v.getIntValue());
      case DOUBLE_VALUE -> goFloat(v.getDoubleValue());
      default -> null;
    };
  }

  private static String goFloat(double d) {
    if (Double.isNaN(d)) {
      return "NaN";
    }
    if (Double.isInfinite(d)) {
      return d > 0 ? "+Inf" : "-Inf";
    }
    return BigDecimal.valueOf(d).stripTrailingZeros().toPlainString();
  }

  /** A value as a string (the collector's {@code AsString}): scalars plainly, others as JSON. */
  private static String asString(AnyValue v) {
    String s = scalarString(v);
    if (s != null) {
      return s;
    }
    Object raw = Values.fromAny(v);
    return raw == null ? "" : Values.toJson(raw);
  }

  private static @Nullable AnyValue find(List<KeyValue> attrs, String key) {
    for (KeyValue kv : attrs) {
      if (kv.getKey().equals(key)) {
        return kv.getValue();
      }
    }
    return null;
  }

  private static Predicate<CurrentItem> and(List<Predicate<CurrentItem>> all) {
    List<Predicate<CurrentItem>> list = List.copyOf(all);
    return c -> {
      for (Predicate<CurrentItem> p : list) {
        if (!p.test(c)) {
          return false;
        }
      }
      return true;
    };
  }
}
