package io.tiercel.processors.tailsampling;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.google.protobuf.ByteString;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import io.tiercel.core.config.InvalidValueException;
import io.tiercel.core.pdata.Signal;
import io.tiercel.processors.ottl.Condition;
import io.tiercel.processors.ottl.ErrorMode;
import io.tiercel.processors.ottl.Errors;
import io.tiercel.processors.ottl.Ottl;
import io.tiercel.processors.ottl.OttlException;
import io.tiercel.processors.ottl.context.OttlContext;
import io.tiercel.processors.ottl.eval.CurrentItem;
import io.tiercel.processors.ottl.func.FunctionRegistry;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import java.util.stream.Collectors;

/**
 * Builds policies from their YAML maps ({@code name}, {@code type} and a block named after the
 * type), checking every key and naming its path, e.g. {@code policies[2].latency.threshold_ms}.
 * Semantics follow the collector's {@code tail_sampling} evaluators.
 */
public final class Policies {
  /**
   * The types an {@code and}, {@code not} or {@code drop} sub-policy may have (the collector's
   * shared types).
   */
  static final List<String> SHARED_TYPES =
      List.of(
          "always_sample",
          "latency",
          "numeric_attribute",
          "probabilistic",
          "status_code",
          "string_attribute",
          "rate_limiting",
          "bytes_limiting",
          "span_count",
          "trace_state",
          "boolean_attribute",
          "ottl_condition",
          "trace_flags");

  /** The policy types, in the collector's spelling: the shared types and the compound ones. */
  public static final List<String> TYPES = concat(SHARED_TYPES, "and", "not", "drop", "composite");

  /** The types a {@code composite} sub-policy may have: the shared types and {@code and}. */
  static final List<String> COMPOSITE_SUB_TYPES = concat(SHARED_TYPES, "and");

  /** The W3C sampled flag in the low byte of a span's {@code flags} (the trace flags). */
  static final int SAMPLED_FLAG = 0x01;

  /** The collector's regex-result cache size when {@code cache_max_size} is 0 (or absent). */
  public static final int DEFAULT_REGEX_CACHE_SIZE = 128;

  /** The collector's salt when {@code hash_salt} is empty. */
  public static final String DEFAULT_HASH_SALT = "default-hash-seed";

  private Policies() {}

  /**
   * Parses one policy.
   *
   * @param path the YAML path of the policy map, e.g. {@code policies[2]}
   * @param raw the policy map
   * @param clock the clock stateful policies read
   * @param errors where OTTL evaluation errors are reported
   * @throws InvalidValueException naming the offending key
   */
  public static Policy parse(String path, Object raw, Clock clock, Errors errors) {
    return parse(path, raw, clock, errors, null, TYPES);
  }

  private static Policy parse(
      String path, Object raw, Clock clock, Errors errors, String parent, List<String> allowed) {
    Map<String, Object> m = map(path, raw);
    String name = string(path + ".name", m.get("name"), true);
    String type = string(path + ".type", m.get("type"), true);
    if (!TYPES.contains(type)) {
      throw new InvalidValueException(
          path + ".type", "\"" + type + "\" is not one of " + String.join(", ", TYPES));
    }
    if (!allowed.contains(type)) {
      throw new InvalidValueException(
          path + ".type",
          "a "
              + type
              + " policy cannot be a sub-policy of "
              + parent
              + " (allowed: "
              + String.join(", ", allowed)
              + ")");
    }
    for (String k : m.keySet()) {
      if (!k.equals("name") && !k.equals("type") && !k.equals(type)) {
        throw new InvalidValueException(
            path + "." + k,
            "unknown key for a policy of type " + type + ": expected name, type, " + type);
      }
    }
    String bp = path + "." + type;
    Object blockRaw = m.get(type);
    if (blockRaw == null && !type.equals("always_sample") && !type.equals("trace_flags")) {
      throw new InvalidValueException(
          bp, "the " + type + " settings are required for a policy of type " + type);
    }
    Map<String, Object> b = blockRaw == null ? Map.of() : map(bp, blockRaw);
    return switch (type) {
      case "always_sample" -> {
        keys(bp, b);
        yield fixed(name, type, t -> Decision.SAMPLED);
      }
      case "latency" -> latency(name, bp, b);
      case "numeric_attribute" -> numeric(name, bp, b);
      case "probabilistic" -> probabilistic(name, bp, b);
      case "status_code" -> statusCode(name, bp, b);
      case "string_attribute" -> stringAttribute(name, bp, b);
      case "rate_limiting" -> rateLimiting(name, bp, b, clock);
      case "bytes_limiting" -> bytesLimiting(name, bp, b, clock);
      case "span_count" -> spanCount(name, bp, b);
      case "trace_state" -> traceState(name, bp, b);
      case "boolean_attribute" -> booleanAttribute(name, bp, b);
      case "ottl_condition" -> ottl(name, bp, b, clock, errors);
      case "trace_flags" -> {
        keys(bp, b);
        yield fixed(
            name,
            type,
            t ->
                t.anySpan(r -> (r.span().getFlags() & SAMPLED_FLAG) != 0)
                    ? Decision.SAMPLED
                    : Decision.NOT_SAMPLED);
      }
      case "not" -> not(name, bp, b, clock, errors);
      case "and" -> and(name, bp, b, clock, errors, "and_sub_policy", Decision.SAMPLED);
      case "drop" -> and(name, bp, b, clock, errors, "drop_sub_policy", Decision.DROPPED);
      case "composite" -> composite(name, bp, b, clock, errors);
      default -> throw new IllegalStateException(type);
    };
  }

  // ------------------------------------------------------------------ the evaluators

  private interface Eval {
    Decision apply(TraceView t);
  }

  private static Policy fixed(String name, String type, Eval e) {
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

  private static Policy latency(String name, String p, Map<String, Object> b) {
    keys(p, b, "threshold_ms", "upper_threshold_ms");
    long lower = longValue(p + ".threshold_ms", b.get("threshold_ms"), 0);
    long upper = longValue(p + ".upper_threshold_ms", b.get("upper_threshold_ms"), 0);
    if (lower < 0) {
      throw new InvalidValueException(p + ".threshold_ms", "must not be negative, got " + lower);
    }
    if (upper < 0 || (upper > 0 && upper < lower)) {
      throw new InvalidValueException(
          p + ".upper_threshold_ms",
          "must be 0 (no upper bound) or at least threshold_ms (" + lower + "), got " + upper);
    }
    return fixed(
        name,
        "latency",
        t -> {
          long min = Long.MAX_VALUE;
          long max = Long.MIN_VALUE;
          for (var rs : t.fragments()) {
            for (var ss : rs.getScopeSpansList()) {
              for (Span s : ss.getSpansList()) {
                min = Math.min(min, s.getStartTimeUnixNano());
                max = Math.max(max, s.getEndTimeUnixNano());
              }
            }
          }
          if (min == Long.MAX_VALUE) {
            return Decision.NOT_SAMPLED;
          }
          long ms = (max - min) / 1_000_000L;
          boolean keep = upper == 0 ? ms >= lower : ms >= lower && ms <= upper;
          return keep ? Decision.SAMPLED : Decision.NOT_SAMPLED;
        });
  }

  private static Policy numeric(String name, String p, Map<String, Object> b) {
    keys(p, b, "key", "min_value", "max_value", "invert_match");
    String key = string(p + ".key", b.get("key"), true);
    Long min =
        b.get("min_value") == null ? null : longValue(p + ".min_value", b.get("min_value"), 0);
    Long max =
        b.get("max_value") == null ? null : longValue(p + ".max_value", b.get("max_value"), 0);
    if (min == null && max == null) {
      throw new InvalidValueException(p, "at least one of min_value and max_value is required");
    }
    if (min != null && max != null && max < min) {
      throw new InvalidValueException(
          p + ".max_value", "must be at least min_value (" + min + "), got " + max);
    }
    boolean invert = bool(p + ".invert_match", b.get("invert_match"), false);
    long lo = min == null ? Long.MIN_VALUE : min;
    long hi = max == null ? Long.MAX_VALUE : max;
    return attributePolicy(
        name,
        "numeric_attribute",
        key,
        invert,
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

  private static Policy booleanAttribute(String name, String p, Map<String, Object> b) {
    keys(p, b, "key", "value", "invert_match");
    String key = string(p + ".key", b.get("key"), true);
    if (!(b.get("value") instanceof Boolean want)) {
      throw new InvalidValueException(
          p + ".value", "expected true or false, got " + b.get("value"));
    }
    boolean invert = bool(p + ".invert_match", b.get("invert_match"), false);
    return attributePolicy(
        name, "boolean_attribute", key, invert, v -> v.hasBoolValue() && v.getBoolValue() == want);
  }

  private static Policy stringAttribute(String name, String p, Map<String, Object> b) {
    keys(p, b, "key", "values", "enabled_regex_matching", "cache_max_size", "invert_match");
    String key = string(p + ".key", b.get("key"), true);
    List<String> values = stringList(p + ".values", b.get("values"));
    if (values.isEmpty()) {
      throw new InvalidValueException(p + ".values", "at least one value is required");
    }
    boolean regex = bool(p + ".enabled_regex_matching", b.get("enabled_regex_matching"), false);
    long cacheMax = longValue(p + ".cache_max_size", b.get("cache_max_size"), 0);
    if (cacheMax < 0) {
      throw new InvalidValueException(
          p + ".cache_max_size", "must not be negative, got " + cacheMax);
    }
    boolean invert = bool(p + ".invert_match", b.get("invert_match"), false);
    java.util.function.Predicate<String> match;
    if (regex) {
      List<Pattern> patterns = new ArrayList<>();
      for (int i = 0; i < values.size(); i++) {
        try {
          patterns.add(Pattern.compile(values.get(i)));
        } catch (PatternSyntaxException e) {
          throw new InvalidValueException(
              p + ".values[" + i + "]", "invalid regular expression: " + e.getDescription());
        }
      }
      // As the collector: the result per attribute value is remembered in a bounded cache of
      // cache_max_size
      // entries (128 when 0), so a value seen before costs one lookup instead of every pattern.
      Cache<String, Boolean> results =
          Caffeine.newBuilder()
              .maximumSize(cacheMax == 0 ? DEFAULT_REGEX_CACHE_SIZE : cacheMax)
              .executor(Runnable::run)
              .build();
      match =
          s ->
              results.get(
                  s,
                  v -> {
                    for (Pattern pt : patterns) {
                      if (pt.matcher(v).find()) {
                        return Boolean.TRUE;
                      }
                    }
                    return Boolean.FALSE;
                  });
    } else {
      Set<String> set = new HashSet<>(values);
      match = set::contains;
    }
    return attributePolicy(
        name,
        "string_attribute",
        key,
        invert,
        v -> v.hasStringValue() && match.test(v.getStringValue()));
  }

  /**
   * The collector's attribute rule: a match in the resource attributes or in any span's attributes
   * samples the trace; with {@code invert_match} a match yields {@link
   * Decision#INVERTED_NOT_SAMPLED} and no match {@link Decision#INVERTED_SAMPLED}.
   */
  private static Policy attributePolicy(
      String name,
      String type,
      String key,
      boolean invert,
      java.util.function.Predicate<AnyValue> test) {
    return fixed(
        name,
        type,
        t -> {
          boolean matched =
              t.anySpan(
                  r ->
                      matches(r.resource().getResource().getAttributesList(), key, test)
                          || matches(r.span().getAttributesList(), key, test));
          if (invert) {
            return matched ? Decision.INVERTED_NOT_SAMPLED : Decision.INVERTED_SAMPLED;
          }
          return matched ? Decision.SAMPLED : Decision.NOT_SAMPLED;
        });
  }

  private static boolean matches(
      List<KeyValue> attrs, String key, java.util.function.Predicate<AnyValue> test) {
    for (KeyValue kv : attrs) {
      if (kv.getKey().equals(key) && test.test(kv.getValue())) {
        return true;
      }
    }
    return false;
  }

  private static Policy probabilistic(String name, String p, Map<String, Object> b) {
    keys(p, b, "hash_salt", "sampling_percentage");
    String salt = string(p + ".hash_salt", b.get("hash_salt"), false);
    double pct = doubleValue(p + ".sampling_percentage", b.get("sampling_percentage"), 0);
    if (pct < 0 || pct > 100 || Double.isNaN(pct)) {
      throw new InvalidValueException(
          p + ".sampling_percentage", "must be between 0 and 100, got " + pct);
    }
    byte[] saltBytes =
        (salt == null || salt.isEmpty() ? DEFAULT_HASH_SALT : salt)
            .getBytes(StandardCharsets.UTF_8);
    long threshold = threshold(pct / 100);
    return fixed(
        name,
        "probabilistic",
        t ->
            Long.compareUnsigned(hashTraceId(saltBytes, t.traceId()), threshold) <= 0
                ? Decision.SAMPLED
                : Decision.NOT_SAMPLED);
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

  private static Policy statusCode(String name, String p, Map<String, Object> b) {
    keys(p, b, "status_codes");
    List<String> codes = stringList(p + ".status_codes", b.get("status_codes"));
    if (codes.isEmpty()) {
      throw new InvalidValueException(p + ".status_codes", "at least one status code is required");
    }
    Set<Status.StatusCode> want = new HashSet<>();
    for (int i = 0; i < codes.size(); i++) {
      switch (codes.get(i)) {
        case "OK" -> want.add(Status.StatusCode.STATUS_CODE_OK);
        case "ERROR" -> want.add(Status.StatusCode.STATUS_CODE_ERROR);
        case "UNSET" -> want.add(Status.StatusCode.STATUS_CODE_UNSET);
        default ->
            throw new InvalidValueException(
                p + ".status_codes[" + i + "]",
                "\"" + codes.get(i) + "\" is not one of OK, ERROR, UNSET");
      }
    }
    return fixed(
        name,
        "status_code",
        t ->
            t.anySpan(r -> want.contains(r.span().getStatus().getCode()))
                ? Decision.SAMPLED
                : Decision.NOT_SAMPLED);
  }

  /**
   * {@code rate_limiting}, as the collector's token bucket: {@code spans_per_second} refill, {@code
   * burst_capacity} tokens at most (default twice the rate), full at start. A trace costs its span
   * count: sampled and paid for when that many tokens are there, otherwise not sampled and nothing
   * is taken (so a trace with more spans than the burst capacity never passes).
   */
  private static Policy rateLimiting(String name, String p, Map<String, Object> b, Clock clock) {
    return limiting(name, "rate_limiting", "spans_per_second", p, b, clock, TraceView::spanCount);
  }

  /**
   * A {@code rate_limiting} or {@code bytes_limiting} policy: a {@link TokenBucket} refilled at the
   * rate key's value per second, holding {@code burst_capacity} tokens (0 or absent: twice the
   * rate, the collector's default); a trace is sampled when its {@code cost} can be taken.
   */
  private static Policy limiting(
      String name,
      String type,
      String rateKey,
      String p,
      Map<String, Object> b,
      Clock clock,
      java.util.function.ToLongFunction<TraceView> cost) {
    keys(p, b, rateKey, "burst_capacity");
    long rate = longValue(p + "." + rateKey, b.get(rateKey), 0);
    if (rate <= 0) {
      throw new InvalidValueException(p + "." + rateKey, "must be positive, got " + rate);
    }
    long burstCfg = longValue(p + ".burst_capacity", b.get("burst_capacity"), 0);
    if (burstCfg < 0) {
      throw new InvalidValueException(
          p + ".burst_capacity", "must not be negative, got " + burstCfg);
    }
    TokenBucket bucket = new TokenBucket(rate, burstCfg == 0 ? 2.0 * rate : burstCfg, clock);
    return fixed(
        name,
        type,
        t -> bucket.take(cost.applyAsLong(t)) ? Decision.SAMPLED : Decision.NOT_SAMPLED);
  }

  /**
   * A token bucket on the policy clock, as the collector's ({@code golang.org/x/time/rate} {@code
   * AllowN}): full at start, refilled continuously at {@code rate} tokens per second up to {@code
   * burst}; {@link #take} takes {@code n} tokens when that many are there and otherwise takes
   * nothing. Not thread-safe: the engine serializes calls.
   */
  private static final class TokenBucket {
    private final double rate;
    private final double burst;
    private final Clock clock;
    private double tokens;
    private long last;

    TokenBucket(double rate, double burst, Clock clock) {
      this.rate = rate;
      this.burst = burst;
      this.clock = clock;
      this.tokens = burst;
      this.last = nanos(clock);
    }

    boolean take(long n) {
      long now = nanos(clock);
      if (now > last) {
        tokens = Math.min(burst, tokens + (now - last) / 1e9 * rate);
        last = now;
      }
      if (n <= tokens) {
        tokens -= n;
        return true;
      }
      return false;
    }
  }

  private static Policy spanCount(String name, String p, Map<String, Object> b) {
    keys(p, b, "min_spans", "max_spans");
    long min = longValue(p + ".min_spans", b.get("min_spans"), 0);
    long max = longValue(p + ".max_spans", b.get("max_spans"), 0);
    if (min < 0) {
      throw new InvalidValueException(p + ".min_spans", "must not be negative, got " + min);
    }
    if (max < 0 || (max > 0 && max < min)) {
      throw new InvalidValueException(
          p + ".max_spans",
          "must be 0 (no upper bound) or at least min_spans (" + min + "), got " + max);
    }
    return fixed(
        name,
        "span_count",
        t ->
            t.spanCount() >= min && (max == 0 || t.spanCount() <= max)
                ? Decision.SAMPLED
                : Decision.NOT_SAMPLED);
  }

  private static Policy ottl(
      String name, String p, Map<String, Object> b, Clock clock, Errors errors) {
    keys(p, b, "error_mode", "span", "spanevent");
    ErrorMode mode = ErrorMode.PROPAGATE;
    if (b.get("error_mode") != null) {
      try {
        mode = ErrorMode.valueOf(String.valueOf(b.get("error_mode")).toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new InvalidValueException(
            p + ".error_mode",
            "\"" + b.get("error_mode") + "\" is not one of ignore, silent, propagate");
      }
    }
    List<Condition> span = conditions(p + ".span", b.get("span"), OttlContext.SPAN);
    List<Condition> event = conditions(p + ".spanevent", b.get("spanevent"), OttlContext.SPANEVENT);
    if (span.isEmpty() && event.isEmpty()) {
      throw new InvalidValueException(p, "at least one span or spanevent condition is required");
    }
    ErrorMode em = mode;
    return fixed(
        name,
        "ottl_condition",
        t -> {
          CurrentItem c = new CurrentItem(clock);
          return t.anySpan(
                  r -> {
                    c.resource(r.resource().getResource())
                        .resourceHolder(r.resource())
                        .scope(r.scope().getScope())
                        .scopeHolder(r.scope())
                        .span(r.span());
                    if (any(span, c, em, errors)) {
                      return true;
                    }
                    if (!event.isEmpty()) {
                      for (int i = 0; i < r.span().getEventsCount(); i++) {
                        if (any(event, c.event(r.span().getEvents(i), i), em, errors)) {
                          return true;
                        }
                      }
                    }
                    return false;
                  })
              ? Decision.SAMPLED
              : Decision.NOT_SAMPLED;
        });
  }

  private static boolean any(List<Condition> conds, CurrentItem c, ErrorMode mode, Errors errors) {
    for (Condition cond : conds) {
      try {
        if (cond.test(c)) {
          return true;
        }
      } catch (RuntimeException e) {
        if (mode == ErrorMode.PROPAGATE) {
          throw e;
        }
        errors.failed(mode, "condition", cond.text(), e);
      }
    }
    return false;
  }

  private static List<Condition> conditions(String p, Object raw, OttlContext ctx) {
    List<String> texts = stringList(p, raw);
    List<Condition> out = new ArrayList<>();
    for (int i = 0; i < texts.size(); i++) {
      try {
        out.add(new Ottl(FunctionRegistry.standard()).condition(texts.get(i), ctx, Signal.TRACES));
      } catch (OttlException e) {
        throw new InvalidValueException(p + "[" + i + "]", e.getMessage());
      }
    }
    return out;
  }

  /**
   * {@code and} (every sub-policy samples: SAMPLED) and {@code drop} (every sub-policy samples:
   * DROPPED), as in the collector: a sub-policy answering not sampled (inverted or not) ends the
   * evaluation with NOT_SAMPLED.
   */
  private static Policy and(
      String name,
      String p,
      Map<String, Object> b,
      Clock clock,
      Errors errors,
      String key,
      Decision whenAll) {
    keys(p, b, key);
    String type = whenAll == Decision.DROPPED ? "drop" : "and";
    List<Policy> subs = subPolicies(p + "." + key, b.get(key), clock, errors, type, SHARED_TYPES);
    return fixed(
        name,
        type,
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
  private static Policy not(
      String name, String p, Map<String, Object> b, Clock clock, Errors errors) {
    keys(p, b, "not_sub_policy");
    String sp = p + ".not_sub_policy";
    if (b.get("not_sub_policy") == null) {
      throw new InvalidValueException(sp, "is required");
    }
    Policy sub = parse(sp, b.get("not_sub_policy"), clock, errors, "not", SHARED_TYPES);
    return fixed(
        name,
        "not",
        t -> {
          Decision d = sub.evaluate(t); // once: the sub-policy may keep state (rate_limiting)
          return switch (d) {
            case SAMPLED -> Decision.NOT_SAMPLED;
            case NOT_SAMPLED -> Decision.SAMPLED;
            default -> d;
          };
        });
  }

  /** Parses a non-empty list of sub-policies of the allowed types with unique names. */
  private static List<Policy> subPolicies(
      String p, Object raw, Clock clock, Errors errors, String parent, List<String> allowed) {
    if (!(raw instanceof List<?> list) || list.isEmpty()) {
      throw new InvalidValueException(p, "at least one sub-policy is required");
    }
    List<Policy> subs = new ArrayList<>();
    Set<String> names = new HashSet<>();
    for (int i = 0; i < list.size(); i++) {
      String sp = p + "[" + i + "]";
      Policy sub = parse(sp, list.get(i), clock, errors, parent, allowed);
      if (!names.add(sub.name())) {
        throw new InvalidValueException(
            sp + ".name", "duplicate sub-policy name \"" + sub.name() + "\"");
      }
      subs.add(sub);
    }
    return subs;
  }

  /**
   * {@code composite}, as the collector's evaluator: each sub-policy has a budget of spans per
   * second of the clock ({@code percent} of {@code max_total_spans_per_second} from {@code
   * rate_allocation}; a listed policy with percent 0 gets an equal share, max / number of
   * sub-policies; an unlisted one gets 0, truncated to a whole number). The sub-policies run in
   * {@code policy_order} (then the unlisted ones in definition order); the first that samples (or
   * inverted-samples) decides: SAMPLED if its spans this second plus the trace's spans stay within
   * its budget and within the total, otherwise NOT_SAMPLED. Budget one sub-policy leaves unused is
   * not lent to another, and an over-budget match does not fall through to later sub-policies.
   */
  private static Policy composite(
      String name, String p, Map<String, Object> b, Clock clock, Errors errors) {
    keys(
        p,
        b,
        "max_total_spans_per_second",
        "policy_order",
        "composite_sub_policy",
        "rate_allocation");
    long max = longValue(p + ".max_total_spans_per_second", b.get("max_total_spans_per_second"), 0);
    if (max <= 0) {
      throw new InvalidValueException(
          p + ".max_total_spans_per_second", "must be positive, got " + max);
    }
    List<Policy> subs =
        subPolicies(
            p + ".composite_sub_policy",
            b.get("composite_sub_policy"),
            clock,
            errors,
            "composite",
            COMPOSITE_SUB_TYPES);
    List<String> names = subs.stream().map(Policy::name).toList();
    String valid = ": expected one of " + String.join(", ", names);

    List<String> order = stringList(p + ".policy_order", b.get("policy_order"));
    List<Integer> evalOrder = new ArrayList<>();
    for (int i = 0; i < order.size(); i++) {
      int idx = names.indexOf(order.get(i));
      if (idx < 0) {
        throw new InvalidValueException(
            p + ".policy_order[" + i + "]",
            "\"" + order.get(i) + "\" is not a composite_sub_policy name" + valid);
      }
      if (evalOrder.contains(idx)) {
        throw new InvalidValueException(
            p + ".policy_order[" + i + "]", "\"" + order.get(i) + "\" is listed twice");
      }
      evalOrder.add(idx);
    }
    for (int i = 0; i < subs.size(); i++) {
      if (!evalOrder.contains(i)) {
        evalOrder.add(i);
      }
    }

    long[] budget = new long[subs.size()]; // unlisted: 0, as the collector's map lookup
    Object allocRaw = b.get("rate_allocation");
    if (allocRaw != null && !(allocRaw instanceof List<?>)) {
      throw new InvalidValueException(
          p + ".rate_allocation", "expected a list, got " + describe(allocRaw));
    }
    List<?> allocs = allocRaw == null ? List.of() : (List<?>) allocRaw;
    Set<String> allocated = new HashSet<>();
    for (int i = 0; i < allocs.size(); i++) {
      String ap = p + ".rate_allocation[" + i + "]";
      Map<String, Object> a = map(ap, allocs.get(i));
      keys(ap, a, "policy", "percent");
      String policy = string(ap + ".policy", a.get("policy"), true);
      int idx = names.indexOf(policy);
      if (idx < 0) {
        throw new InvalidValueException(
            ap + ".policy", "\"" + policy + "\" is not a composite_sub_policy name" + valid);
      }
      if (!allocated.add(policy)) {
        throw new InvalidValueException(
            ap + ".policy", "\"" + policy + "\" already has a rate allocation");
      }
      long percent = longValue(ap + ".percent", a.get("percent"), 0);
      if (percent < 0 || percent > 100) {
        throw new InvalidValueException(
            ap + ".percent", "must be between 0 and 100, got " + percent);
      }
      double sps = percent > 0 ? percent / 100.0 * max : (double) max / subs.size();
      budget[idx] = (long) sps;
    }

    int[] orderArr = evalOrder.stream().mapToInt(Integer::intValue).toArray();
    long[] sampled = new long[subs.size()]; // spans sampled per sub-policy in the current second
    long[] second = {Long.MIN_VALUE}; // the engine serializes calls
    return fixed(
        name,
        "composite",
        t -> {
          long now = Math.floorDiv(clock.millis(), 1000L);
          if (second[0] != now) {
            second[0] = now;
            java.util.Arrays.fill(sampled, 0);
          }
          for (int i : orderArr) {
            Decision d = subs.get(i).evaluate(t);
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

  /**
   * {@code bytes_limiting}, as the collector's token bucket: {@code bytes_per_second} refill,
   * {@code burst_capacity} tokens at most (default twice the rate), full at start. A trace costs
   * its protobuf size ({@link TraceView#serializedSize()}): sampled and paid for when that many
   * tokens are there, otherwise not sampled and nothing is taken.
   */
  private static Policy bytesLimiting(String name, String p, Map<String, Object> b, Clock clock) {
    return limiting(
        name, "bytes_limiting", "bytes_per_second", p, b, clock, TraceView::serializedSize);
  }

  private static long nanos(Clock clock) {
    java.time.Instant i = clock.instant();
    return i.getEpochSecond() * 1_000_000_000L + i.getNano();
  }

  /**
   * {@code trace_state}: any span whose W3C {@code tracestate} is valid and holds {@code key} with
   * one of {@code values} (values that are empty or make key=value longer than 256 characters never
   * match, as in the collector).
   */
  private static Policy traceState(String name, String p, Map<String, Object> b) {
    keys(p, b, "key", "values");
    String key = string(p + ".key", b.get("key"), true);
    List<String> values = stringList(p + ".values", b.get("values"));
    if (values.isEmpty()) {
      throw new InvalidValueException(p + ".values", "at least one value is required");
    }
    Set<String> want = new HashSet<>();
    for (String v : values) {
      if (!v.isEmpty() && key.length() + v.length() < 256) {
        want.add(v);
      }
    }
    return fixed(
        name,
        "trace_state",
        t ->
            t.anySpan(
                    r -> {
                      String v = TraceStates.get(r.span().getTraceState(), key);
                      return v != null && want.contains(v);
                    })
                ? Decision.SAMPLED
                : Decision.NOT_SAMPLED);
  }

  private static List<String> concat(List<String> a, String... more) {
    List<String> out = new ArrayList<>(a);
    out.addAll(List.of(more));
    return List.copyOf(out);
  }

  // ------------------------------------------------------------------ YAML helpers

  @SuppressWarnings("unchecked")
  private static Map<String, Object> map(String path, Object raw) {
    if (!(raw instanceof Map<?, ?> m)) {
      throw new InvalidValueException(path, "expected a map, got " + describe(raw));
    }
    Map<String, Object> out = new LinkedHashMap<>();
    for (Map.Entry<?, ?> e : m.entrySet()) {
      out.put(String.valueOf(e.getKey()), e.getValue());
    }
    return out;
  }

  private static void keys(String path, Map<String, Object> m, String... valid) {
    List<String> v = List.of(valid);
    for (String k : m.keySet()) {
      if (!v.contains(k)) {
        throw new InvalidValueException(
            path + "." + k,
            "unknown key"
                + (v.isEmpty()
                    ? ": no keys are valid here"
                    : ": expected one of "
                        + v.stream().sorted().collect(Collectors.joining(", "))));
      }
    }
  }

  private static String string(String path, Object v, boolean required) {
    if (v == null || (required && v instanceof String s && s.isEmpty())) {
      if (required) {
        throw new InvalidValueException(path, "is required");
      }
      return null;
    }
    if (!(v instanceof String s)) {
      throw new InvalidValueException(path, "expected a string, got " + describe(v));
    }
    return s;
  }

  private static List<String> stringList(String path, Object v) {
    if (v == null) {
      return List.of();
    }
    if (!(v instanceof List<?> l)) {
      throw new InvalidValueException(path, "expected a list of strings, got " + describe(v));
    }
    List<String> out = new ArrayList<>();
    for (int i = 0; i < l.size(); i++) {
      out.add(string(path + "[" + i + "]", l.get(i), true));
    }
    return out;
  }

  private static long longValue(String path, Object v, long def) {
    if (v == null) {
      return def;
    }
    if (v instanceof Integer || v instanceof Long || v instanceof Short || v instanceof Byte) {
      return ((Number) v).longValue();
    }
    if (v instanceof BigInteger bi && bi.bitLength() < 64) {
      return bi.longValue();
    }
    throw new InvalidValueException(path, "expected an integer, got " + describe(v));
  }

  private static double doubleValue(String path, Object v, double def) {
    if (v == null) {
      return def;
    }
    if (v instanceof Number n) {
      return n.doubleValue();
    }
    throw new InvalidValueException(path, "expected a number, got " + describe(v));
  }

  private static boolean bool(String path, Object v, boolean def) {
    if (v == null) {
      return def;
    }
    if (v instanceof Boolean b) {
      return b;
    }
    throw new InvalidValueException(path, "expected true or false, got " + describe(v));
  }

  private static String describe(Object v) {
    if (v == null) {
      return "null";
    }
    if (v instanceof String s) {
      return "\"" + s + "\"";
    }
    if (v instanceof Map<?, ?>) {
      return "a map";
    }
    if (v instanceof List<?>) {
      return "a list";
    }
    return String.valueOf(v);
  }
}
