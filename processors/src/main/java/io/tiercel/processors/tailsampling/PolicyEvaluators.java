package io.tiercel.processors.tailsampling;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.google.protobuf.ByteString;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.trace.v1.Status;
import io.tiercel.processors.ottl.Errors;
import io.tiercel.processors.tailsampling.PolicyConfig.And;
import io.tiercel.processors.tailsampling.PolicyConfig.Composite;
import io.tiercel.processors.tailsampling.PolicyConfig.CompositeSubPolicy;
import io.tiercel.processors.tailsampling.PolicyConfig.Drop;
import io.tiercel.processors.tailsampling.PolicyConfig.Not;
import io.tiercel.processors.tailsampling.SharedPolicy.AlwaysSample;
import io.tiercel.processors.tailsampling.SharedPolicy.BooleanAttribute;
import io.tiercel.processors.tailsampling.SharedPolicy.BytesLimiting;
import io.tiercel.processors.tailsampling.SharedPolicy.Latency;
import io.tiercel.processors.tailsampling.SharedPolicy.NumericAttribute;
import io.tiercel.processors.tailsampling.SharedPolicy.OttlCondition;
import io.tiercel.processors.tailsampling.SharedPolicy.Probabilistic;
import io.tiercel.processors.tailsampling.SharedPolicy.RateLimiting;
import io.tiercel.processors.tailsampling.SharedPolicy.SpanCount;
import io.tiercel.processors.tailsampling.SharedPolicy.StatusCode;
import io.tiercel.processors.tailsampling.SharedPolicy.StringAttribute;
import io.tiercel.processors.tailsampling.SharedPolicy.TraceFlags;
import io.tiercel.processors.tailsampling.SharedPolicy.TraceState;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import java.util.function.ToLongFunction;
import java.util.regex.Pattern;

/**
 * Makes the evaluators of configured policies, with the collector's {@code tail_sampling}
 * semantics. Each call makes fresh state (token buckets, regex result caches, composite counters),
 * so every processor has its own; what the config compiled (regular expressions, OTTL conditions)
 * is shared.
 */
public final class PolicyEvaluators {
  /** The W3C sampled flag in the low byte of a span's {@code flags} (the trace flags). */
  static final int SAMPLED_FLAG = 0x01;

  /** The collector's regex-result cache size when {@code cache_max_size} is 0 (or absent). */
  public static final int DEFAULT_REGEX_CACHE_SIZE = 128;

  /** The collector's salt when {@code hash_salt} is empty. */
  public static final String DEFAULT_HASH_SALT = "default-hash-seed";

  private PolicyEvaluators() {}

  /**
   * The evaluators of {@code policies}, in configured order.
   *
   * @param clock the clock stateful policies read
   * @param errors where OTTL evaluation errors are reported
   */
  public static List<Policy> create(List<PolicyConfig> policies, Clock clock, Errors errors) {
    return create(policies, clock, errors, new SpanTests());
  }

  /**
   * The evaluators of {@code policies}, registering the span tests they ask in {@code tests}, so a
   * processor can answer them as spans arrive.
   */
  static List<Policy> create(
      List<PolicyConfig> policies, Clock clock, Errors errors, SpanTests tests) {
    return policies.stream().map(p -> create(p, clock, errors, tests)).toList();
  }

  /** The evaluator of one policy. */
  public static Policy create(PolicyConfig p, Clock clock, Errors errors) {
    return create(p, clock, errors, new SpanTests());
  }

  private static Policy create(PolicyConfig p, Clock clock, Errors errors, SpanTests tests) {
    String name = p.name();
    if (p instanceof AlwaysSample) {
      return policy(p, t -> Decision.SAMPLED);
    } else if (p instanceof Latency l) {
      return latency(p, l.latency());
    } else if (p instanceof NumericAttribute n) {
      return numeric(p, n.numericAttribute(), tests);
    } else if (p instanceof Probabilistic pr) {
      return probabilistic(p, pr.probabilistic());
    } else if (p instanceof StatusCode s) {
      return statusCode(p, s.statusCode());
    } else if (p instanceof StringAttribute s) {
      return stringAttribute(p, s.stringAttribute(), tests);
    } else if (p instanceof RateLimiting r) {
      RateLimiting.Settings s = r.rateLimiting();
      return limiting(p, s.spansPerSecond(), s.burstCapacity(), clock, TraceView::spanCount);
    } else if (p instanceof BytesLimiting b) {
      BytesLimiting.Settings s = b.bytesLimiting();
      return limiting(p, s.bytesPerSecond(), s.burstCapacity(), clock, TraceView::serializedSize);
    } else if (p instanceof SpanCount s) {
      long min = s.spanCount().minSpans();
      long max = s.spanCount().maxSpans();
      return policy(p, t -> sampledIf(t.spanCount() >= min && (max == 0 || t.spanCount() <= max)));
    } else if (p instanceof TraceState s) {
      return traceState(p, s.traceState(), tests);
    } else if (p instanceof BooleanAttribute b) {
      boolean want = b.booleanAttribute().value();
      return attribute(
          p,
          tests,
          b.booleanAttribute().key(),
          b.booleanAttribute().invertMatch(),
          v -> v.hasBoolValue() && v.getBoolValue() == want);
    } else if (p instanceof OttlCondition o) {
      return policy(p, new OttlEvaluator(o.ottlCondition(), clock, errors)::evaluate);
    } else if (p instanceof TraceFlags) {
      return policy(p, t -> sampledIf(t.anySampledFlag()));
    } else if (p instanceof And a) {
      return all(
          p, create(List.copyOf(a.and().andSubPolicy()), clock, errors, tests), Decision.SAMPLED);
    } else if (p instanceof Drop d) {
      return all(
          p, create(List.copyOf(d.drop().dropSubPolicy()), clock, errors, tests), Decision.DROPPED);
    } else if (p instanceof Not n) {
      return not(p, create(n.not().notSubPolicy(), clock, errors, tests));
    } else if (p instanceof Composite c) {
      return composite(p, c.composite(), clock, errors, tests);
    }
    throw new IllegalStateException("no evaluator for policy " + name + " of type " + p.type());
  }

  /** What a policy computes from a trace. */
  private interface Evaluation {
    Decision apply(TraceView t);
  }

  private static Policy policy(PolicyConfig config, Evaluation e) {
    String name = config.name();
    String type = config.type();
    return new Policy() {
      @Override
      public String name() {
        return name;
      }

      @Override
      public String type() {
        return type;
      }

      @Override
      public Decision evaluate(TraceView trace) {
        return e.apply(trace);
      }

      @Override
      public String toString() {
        return type + "/" + name;
      }
    };
  }

  private static Decision sampledIf(boolean sampled) {
    return sampled ? Decision.SAMPLED : Decision.NOT_SAMPLED;
  }

  private static Policy latency(PolicyConfig p, Latency.Settings s) {
    long lower = s.thresholdMs();
    long upper = s.upperThresholdMs();
    return policy(
        p,
        t -> {
          long min = t.minStart();
          long max = t.maxEnd();
          if (min == Long.MAX_VALUE) {
            return Decision.NOT_SAMPLED;
          }
          long ms = (max - min) / 1_000_000L;
          return sampledIf(upper == 0 ? ms >= lower : ms >= lower && ms <= upper);
        });
  }

  private static Policy numeric(PolicyConfig p, NumericAttribute.Settings s, SpanTests tests) {
    long lo = s.minValue() == null ? Long.MIN_VALUE : s.minValue();
    long hi = s.maxValue() == null ? Long.MAX_VALUE : s.maxValue();
    return attribute(
        p,
        tests,
        s.key(),
        s.invertMatch(),
        v -> {
          if (v.hasIntValue()) {
            return v.getIntValue() >= lo && v.getIntValue() <= hi;
          }
          if (v.hasDoubleValue()) {
            return v.getDoubleValue() >= lo && v.getDoubleValue() <= hi;
          }
          return false;
        });
  }

  private static Policy stringAttribute(
      PolicyConfig p, StringAttribute.Settings s, SpanTests tests) {
    Predicate<String> match;
    if (s.enabledRegexMatching()) {
      List<Pattern> patterns = s.patterns();
      // As the collector: the result per attribute value is remembered in a bounded cache of
      // cache_max_size entries (128 when 0), so a value seen before costs one lookup instead of
      // every pattern.
      Cache<String, Boolean> results =
          Caffeine.newBuilder()
              .maximumSize(s.cacheMaxSize() == 0 ? DEFAULT_REGEX_CACHE_SIZE : s.cacheMaxSize())
              .executor(Runnable::run)
              .build();
      match =
          value ->
              results.get(
                  value,
                  v -> {
                    for (Pattern pt : patterns) {
                      if (pt.matcher(v).find()) {
                        return Boolean.TRUE;
                      }
                    }
                    return Boolean.FALSE;
                  });
    } else {
      Set<String> set = new HashSet<>(s.values());
      match = set::contains;
    }
    return attribute(
        p,
        tests,
        s.key(),
        s.invertMatch(),
        v -> v.hasStringValue() && match.test(v.getStringValue()));
  }

  /**
   * The collector's attribute rule: a match in the resource attributes or in any span's attributes
   * samples the trace; with {@code invert_match} a match yields {@link
   * Decision#INVERTED_NOT_SAMPLED} and no match {@link Decision#INVERTED_SAMPLED}. As the
   * collector's {@code Map.Get}, the first attribute named {@code key} is the one tested.
   */
  private static Policy attribute(
      PolicyConfig p, SpanTests tests, String key, boolean invert, Predicate<AnyValue> test) {
    SpanTest spanTest = tests.add(SpanTest.attribute(key, test));
    return policy(
        p,
        t -> {
          boolean matched = t.anySpan(spanTest);
          if (invert) {
            return matched ? Decision.INVERTED_NOT_SAMPLED : Decision.INVERTED_SAMPLED;
          }
          return sampledIf(matched);
        });
  }

  private static Policy probabilistic(PolicyConfig p, Probabilistic.Settings s) {
    String salt = s.hashSalt();
    byte[] saltBytes =
        (salt == null || salt.isEmpty() ? DEFAULT_HASH_SALT : salt)
            .getBytes(StandardCharsets.UTF_8);
    long threshold = threshold(s.samplingPercentage() / 100);
    return policy(
        p,
        t -> sampledIf(Long.compareUnsigned(hashTraceId(saltBytes, t.traceId()), threshold) <= 0));
  }

  /** {@code floor(2^64-1 * ratio)} as an unsigned 64-bit value (the collector's threshold). */
  static long threshold(double ratio) {
    BigInteger max = BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE);
    BigInteger v =
        new BigDecimal(max)
            .multiply(new BigDecimal(ratio))
            .setScale(0, RoundingMode.FLOOR)
            .toBigInteger();
    return v.min(max).longValue();
  }

  /**
   * FNV-1a 64 over the salt bytes followed by the 16 trace id bytes (the collector's hashTraceID).
   */
  static long hashTraceId(byte[] salt, ByteString traceId) {
    long h = 0xcbf29ce484222325L;
    for (byte x : salt) {
      h ^= x & 0xff;
      h *= 0x100000001b3L;
    }
    for (int i = 0; i < traceId.size(); i++) {
      h ^= traceId.byteAt(i) & 0xff;
      h *= 0x100000001b3L;
    }
    return h;
  }

  private static Policy statusCode(PolicyConfig p, StatusCode.Settings s) {
    int want = 0;
    for (StatusCode.Code c : s.statusCodes()) {
      Status.StatusCode code =
          switch (c) {
            case OK -> Status.StatusCode.STATUS_CODE_OK;
            case ERROR -> Status.StatusCode.STATUS_CODE_ERROR;
            case UNSET -> Status.StatusCode.STATUS_CODE_UNSET;
          };
      want |= 1 << code.getNumber();
    }
    int mask = want;
    return policy(p, t -> sampledIf(t.anyStatus(mask)));
  }

  /**
   * A {@code rate_limiting} or {@code bytes_limiting} policy, as the collector's token bucket:
   * refilled at {@code rate} per second, holding {@code burstCapacity} tokens (0: twice the rate),
   * full at start. A trace is sampled and pays its {@code cost} (span count, protobuf size) when
   * that many tokens are there; otherwise nothing is taken.
   */
  private static Policy limiting(
      PolicyConfig p, long rate, long burstCapacity, Clock clock, ToLongFunction<TraceView> cost) {
    TokenBucket bucket =
        new TokenBucket(rate, burstCapacity == 0 ? 2.0 * rate : burstCapacity, clock);
    return policy(p, t -> sampledIf(bucket.take(cost.applyAsLong(t))));
  }

  /**
   * {@code trace_state}: any span whose W3C {@code tracestate} is valid and holds {@code key} with
   * one of {@code values} (values that make key=value longer than 256 characters never match, as in
   * the collector).
   */
  private static Policy traceState(PolicyConfig p, TraceState.Settings s, SpanTests tests) {
    String key = s.key();
    Set<String> want = new HashSet<>();
    for (String v : s.values()) {
      if (key.length() + v.length() < 256) {
        want.add(v);
      }
    }
    SpanTest spanTest = tests.add(SpanTest.traceState(key, want));
    return policy(p, t -> sampledIf(t.anySpan(spanTest)));
  }

  /**
   * {@code and} (every sub-policy samples: SAMPLED) and {@code drop} (every sub-policy samples:
   * DROPPED), as in the collector: a sub-policy answering not sampled (inverted or not) ends the
   * evaluation with NOT_SAMPLED.
   */
  private static Policy all(PolicyConfig p, List<Policy> subs, Decision whenAll) {
    return policy(
        p,
        t -> {
          for (Policy sub : subs) {
            Decision d = sub.evaluate(t);
            if (d == Decision.NOT_SAMPLED
                || d == Decision.INVERTED_NOT_SAMPLED
                || d == Decision.ERROR) {
              return Decision.NOT_SAMPLED;
            }
          }
          return whenAll;
        });
  }

  /**
   * {@code not}, as the collector's: the one sub-policy's SAMPLED becomes NOT_SAMPLED and
   * NOT_SAMPLED becomes SAMPLED; any other decision (inverted ones, a failure) passes through
   * unchanged.
   */
  private static Policy not(PolicyConfig p, Policy sub) {
    return policy(
        p,
        t -> {
          Decision d = sub.evaluate(t); // once: the sub-policy may keep state (rate_limiting)
          return switch (d) {
            case SAMPLED -> Decision.NOT_SAMPLED;
            case NOT_SAMPLED -> Decision.SAMPLED;
            default -> d;
          };
        });
  }

  /**
   * {@code composite}, as the collector's evaluator: each sub-policy has a budget of spans per
   * second of the clock ({@link Composite.Settings#budgets()}). The sub-policies run in {@code
   * policy_order} (then the unlisted ones in definition order); the first that samples (or
   * inverted-samples) decides: SAMPLED if its spans this second plus the trace's spans stay within
   * its budget and within the total, otherwise NOT_SAMPLED. Budget one sub-policy leaves unused is
   * not lent to another, and an over-budget match does not fall through to later sub-policies.
   */
  private static Policy composite(
      PolicyConfig p, Composite.Settings s, Clock clock, Errors errors, SpanTests tests) {
    List<CompositeSubPolicy> configs = s.compositeSubPolicy();
    Policy[] subs = new Policy[configs.size()];
    for (int i = 0; i < subs.length; i++) {
      subs[i] = create(configs.get(i), clock, errors, tests);
    }
    int[] order = s.evaluationOrder();
    long[] budget = s.budgets();
    long max = s.maxTotalSpansPerSecond();
    long[] sampled = new long[subs.length]; // spans sampled per sub-policy in the current second
    long[] second = {Long.MIN_VALUE}; // the engine serializes calls
    return policy(
        p,
        t -> {
          long now = Math.floorDiv(clock.millis(), 1000L);
          if (second[0] != now) {
            second[0] = now;
            Arrays.fill(sampled, 0);
          }
          for (int i : order) {
            Decision d = subs[i].evaluate(t);
            if (d == Decision.SAMPLED || d == Decision.INVERTED_SAMPLED) {
              long ifSampled = sampled[i] + t.spanCount();
              if (ifSampled <= budget[i] && ifSampled <= max) {
                sampled[i] = ifSampled;
                return Decision.SAMPLED;
              }
              return Decision.NOT_SAMPLED;
            }
          }
          return Decision.NOT_SAMPLED;
        });
  }
}
