package io.tiercel.processors.tailsampling;

import static io.tiercel.processors.tailsampling.PolicyChecks.copy;
import static io.tiercel.processors.tailsampling.PolicyChecks.requireBucket;
import static io.tiercel.processors.tailsampling.PolicyChecks.requireName;
import static io.tiercel.processors.tailsampling.PolicyChecks.requireSettings;
import static io.tiercel.processors.tailsampling.PolicyChecks.requireText;
import static io.tiercel.processors.tailsampling.PolicyChecks.requireValues;

import io.tiercel.core.config.Derived;
import io.tiercel.core.config.InvalidValueException;
import io.tiercel.core.config.Key;
import io.tiercel.core.pdata.Signal;
import io.tiercel.processors.ottl.Condition;
import io.tiercel.processors.ottl.ErrorMode;
import io.tiercel.processors.ottl.Ottl;
import io.tiercel.processors.ottl.OttlException;
import io.tiercel.processors.ottl.OttlGates;
import io.tiercel.processors.ottl.context.OttlContext;
import io.tiercel.processors.ottl.func.FunctionRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.jspecify.annotations.Nullable;

/**
 * The collector's shared policy types: those {@code and}, {@code not} and {@code drop} may hold
 * (and {@code composite}, with {@code and}), one record per type with its section as a nested
 * {@code Settings} record. The permits order is the order the types are listed in messages.
 */
public sealed interface SharedPolicy extends PolicyConfig.CompositeSubPolicy
    permits SharedPolicy.AlwaysSample,
        SharedPolicy.Latency,
        SharedPolicy.NumericAttribute,
        SharedPolicy.Probabilistic,
        SharedPolicy.StatusCode,
        SharedPolicy.StringAttribute,
        SharedPolicy.RateLimiting,
        SharedPolicy.BytesLimiting,
        SharedPolicy.SpanCount,
        SharedPolicy.TraceState,
        SharedPolicy.BooleanAttribute,
        SharedPolicy.OttlCondition,
        SharedPolicy.TraceFlags {
  /** The section of a type that has no settings ({@code always_sample}, {@code trace_flags}). */
  record NoSettings() {}

  /** {@code always_sample}: samples every trace. */
  record AlwaysSample(String name, @Nullable NoSettings alwaysSample) implements SharedPolicy {
    public AlwaysSample {
      requireName(name);
    }
  }

  /**
   * {@code latency}: samples a trace whose duration (last span end minus first span start) is at
   * least {@code threshold_ms} and, when {@code upper_threshold_ms} is set, at most that.
   */
  record Latency(String name, Latency.Settings latency) implements SharedPolicy {
    public Latency {
      requireName(name);
      requireSettings(latency, "latency");
    }

    /** The bounds in milliseconds ({@code upper_threshold_ms} 0 = none). */
    public record Settings(long thresholdMs, long upperThresholdMs) {
      public Settings {
        if (thresholdMs < 0) {
          throw new InvalidValueException(
              "threshold_ms", "must not be negative, got " + thresholdMs);
        }
        if (upperThresholdMs < 0 || (upperThresholdMs > 0 && upperThresholdMs < thresholdMs)) {
          throw new InvalidValueException(
              "upper_threshold_ms",
              "must be 0 (no upper bound) or at least threshold_ms ("
                  + thresholdMs
                  + "), got "
                  + upperThresholdMs);
        }
      }
    }
  }

  /** {@code numeric_attribute}: a resource or span attribute (int or double) within bounds. */
  record NumericAttribute(String name, NumericAttribute.Settings numericAttribute)
      implements SharedPolicy {
    public NumericAttribute {
      requireName(name);
      requireSettings(numericAttribute, "numeric_attribute");
    }

    /** The attribute and its bounds (one may be absent). */
    public record Settings(
        String key, @Nullable Long minValue, @Nullable Long maxValue, boolean invertMatch) {
      public Settings {
        requireText("key", key);
        if (minValue == null && maxValue == null) {
          throw new IllegalArgumentException("at least one of min_value and max_value is required");
        }
        if (minValue != null && maxValue != null && maxValue < minValue) {
          throw new InvalidValueException(
              "max_value", "must be at least min_value (" + minValue + "), got " + maxValue);
        }
      }
    }
  }

  /**
   * {@code probabilistic}: samples a trace when the FNV-1a hash of salt and trace id is within the
   * percentage.
   */
  record Probabilistic(String name, Probabilistic.Settings probabilistic) implements SharedPolicy {
    public Probabilistic {
      requireName(name);
      requireSettings(probabilistic, "probabilistic");
    }

    /** The salt (empty: the collector's default) and the percentage, 0 to 100. */
    public record Settings(@Nullable String hashSalt, double samplingPercentage) {
      public Settings {
        if (samplingPercentage < 0
            || samplingPercentage > 100
            || Double.isNaN(samplingPercentage)) {
          throw new InvalidValueException(
              "sampling_percentage", "must be between 0 and 100, got " + samplingPercentage);
        }
      }
    }
  }

  /** {@code status_code}: any span has one of the status codes. */
  record StatusCode(String name, StatusCode.Settings statusCode) implements SharedPolicy {
    public StatusCode {
      requireName(name);
      requireSettings(statusCode, "status_code");
    }

    /** A span status code, spelled as in the collector's config. */
    public enum Code {
      @Key("OK")
      OK,
      @Key("ERROR")
      ERROR,
      @Key("UNSET")
      UNSET
    }

    /** The codes (at least one). */
    public record Settings(List<Code> statusCodes) {
      public Settings {
        statusCodes = copy("status_codes", statusCodes);
        if (statusCodes.isEmpty()) {
          throw new InvalidValueException("status_codes", "at least one status code is required");
        }
      }
    }
  }

  /**
   * {@code string_attribute}: a resource or span string attribute equals one of the values or, with
   * {@code enabled_regex_matching}, contains a match of one of them.
   */
  record StringAttribute(String name, StringAttribute.Settings stringAttribute)
      implements SharedPolicy {
    public StringAttribute {
      requireName(name);
      requireSettings(stringAttribute, "string_attribute");
    }

    /**
     * The attribute and its values.
     *
     * @param cacheMaxSize how many attribute values' regex results are remembered (0 = 128)
     * @param patterns the values compiled, when {@code enabled_regex_matching} (else empty)
     */
    public record Settings(
        String key,
        List<String> values,
        boolean enabledRegexMatching,
        long cacheMaxSize,
        boolean invertMatch,
        @Derived List<Pattern> patterns) {
      public Settings {
        requireText("key", key);
        values = requireValues("values", values, "at least one value is required");
        if (cacheMaxSize < 0) {
          throw new InvalidValueException(
              "cache_max_size", "must not be negative, got " + cacheMaxSize);
        }
        List<Pattern> compiled = new ArrayList<>();
        for (int i = 0; enabledRegexMatching && i < values.size(); i++) {
          try {
            compiled.add(Pattern.compile(values.get(i)));
          } catch (PatternSyntaxException e) {
            throw new InvalidValueException(
                "values[" + i + "]", "invalid regular expression: " + e.getDescription());
          }
        }
        patterns = List.copyOf(compiled);
      }
    }
  }

  /**
   * {@code rate_limiting}: a token bucket of spans, refilled at {@code spans_per_second} up to
   * {@code burst_capacity} (0 = twice the rate).
   */
  record RateLimiting(String name, RateLimiting.Settings rateLimiting) implements SharedPolicy {
    public RateLimiting {
      requireName(name);
      requireSettings(rateLimiting, "rate_limiting");
    }

    /** The rate and the bucket's size. */
    public record Settings(long spansPerSecond, long burstCapacity) {
      public Settings {
        requireBucket("spans_per_second", spansPerSecond, burstCapacity);
      }
    }
  }

  /**
   * {@code bytes_limiting}: a token bucket of protobuf bytes, refilled at {@code bytes_per_second}
   * up to {@code burst_capacity} (0 = twice the rate).
   */
  record BytesLimiting(String name, BytesLimiting.Settings bytesLimiting) implements SharedPolicy {
    public BytesLimiting {
      requireName(name);
      requireSettings(bytesLimiting, "bytes_limiting");
    }

    /** The rate and the bucket's size. */
    public record Settings(long bytesPerSecond, long burstCapacity) {
      public Settings {
        requireBucket("bytes_per_second", bytesPerSecond, burstCapacity);
      }
    }
  }

  /** {@code span_count}: the trace's span count is within bounds ({@code max_spans} 0 = none). */
  record SpanCount(String name, SpanCount.Settings spanCount) implements SharedPolicy {
    public SpanCount {
      requireName(name);
      requireSettings(spanCount, "span_count");
    }

    /** The bounds. */
    public record Settings(long minSpans, long maxSpans) {
      public Settings {
        if (minSpans < 0) {
          throw new InvalidValueException("min_spans", "must not be negative, got " + minSpans);
        }
        if (maxSpans < 0 || (maxSpans > 0 && maxSpans < minSpans)) {
          throw new InvalidValueException(
              "max_spans",
              "must be 0 (no upper bound) or at least min_spans ("
                  + minSpans
                  + "), got "
                  + maxSpans);
        }
      }
    }
  }

  /** {@code trace_state}: a span's W3C {@code tracestate} holds the key with one of the values. */
  record TraceState(String name, TraceState.Settings traceState) implements SharedPolicy {
    public TraceState {
      requireName(name);
      requireSettings(traceState, "trace_state");
    }

    /** The key and its values. */
    public record Settings(String key, List<String> values) {
      public Settings {
        requireText("key", key);
        values = requireValues("values", values, "at least one value is required");
      }
    }
  }

  /** {@code boolean_attribute}: a resource or span bool attribute equals {@code value}. */
  record BooleanAttribute(String name, BooleanAttribute.Settings booleanAttribute)
      implements SharedPolicy {
    public BooleanAttribute {
      requireName(name);
      requireSettings(booleanAttribute, "boolean_attribute");
    }

    /** The attribute and the value it must have. */
    public record Settings(String key, Boolean value, boolean invertMatch) {
      public Settings {
        requireText("key", key);
        if (value == null) {
          throw new InvalidValueException("value", "is required");
        }
      }
    }
  }

  /** {@code ottl_condition}: any OTTL condition is true for a span or a span event. */
  record OttlCondition(String name, OttlCondition.Settings ottlCondition) implements SharedPolicy {
    public OttlCondition {
      requireName(name);
      requireSettings(ottlCondition, "ottl_condition");
    }

    /**
     * The conditions per context, and what to do when one fails to evaluate.
     *
     * @param spanConditions {@code span} compiled
     * @param spaneventConditions {@code spanevent} compiled
     */
    public record Settings(
        ErrorMode errorMode,
        List<String> span,
        List<String> spanevent,
        @Derived List<Condition> spanConditions,
        @Derived List<Condition> spaneventConditions) {
      public Settings {
        errorMode = errorMode == null ? ErrorMode.PROPAGATE : errorMode;
        span = copy("span", span);
        spanevent = copy("spanevent", spanevent);
        spanConditions = compile("span", span, OttlContext.SPAN);
        spaneventConditions = compile("spanevent", spanevent, OttlContext.SPANEVENT);
        if (span.isEmpty() && spanevent.isEmpty()) {
          throw new IllegalArgumentException(
              "at least one span or spanevent condition is required");
        }
      }

      private static List<Condition> compile(String key, List<String> texts, OttlContext ctx) {
        Ottl ottl = new Ottl(FunctionRegistry.standard());
        List<Condition> out = new ArrayList<>(texts.size());
        for (int i = 0; i < texts.size(); i++) {
          try {
            Condition c = ottl.condition(texts.get(i), ctx, Signal.TRACES);
            if (!c.gatedFunctions().isEmpty()) {
              // the sampler has no per-service gates at this point: lambdas stay off here
              throw new InvalidValueException(
                  key + "[" + i + "]", OttlGates.message(c.gatedFunctions().get(0)));
            }
            out.add(c);
          } catch (OttlException e) {
            throw new InvalidValueException(key + "[" + i + "]", e.getMessage());
          }
        }
        return List.copyOf(out);
      }
    }
  }

  /** {@code trace_flags}: any span has the W3C sampled flag. */
  record TraceFlags(String name, @Nullable NoSettings traceFlags) implements SharedPolicy {
    public TraceFlags {
      requireName(name);
    }
  }
}
