package io.tiercel.processors.tailsampling;

import static io.tiercel.processors.tailsampling.PolicyChecks.copy;
import static io.tiercel.processors.tailsampling.PolicyChecks.requireName;
import static io.tiercel.processors.tailsampling.PolicyChecks.requireSettings;
import static io.tiercel.processors.tailsampling.PolicyChecks.requireSubPolicies;
import static io.tiercel.processors.tailsampling.PolicyChecks.requireText;

import io.tiercel.core.config.ConfigBinder;
import io.tiercel.core.config.InvalidValueException;
import io.tiercel.core.config.TaggedUnion;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * One configured policy, as the collector writes it: {@code name}, {@code type} and a section named
 * after the type ({@code {name: slow, type: latency, latency: {threshold_ms: 500}}}), one record
 * per type, bound by the {@link ConfigBinder} as a {@link TaggedUnion}. Each record checks its
 * section when it is built and keeps what checking had to compile (regular expressions, OTTL
 * conditions), so a policy is compiled once; {@link PolicyEvaluators} makes the evaluators, with
 * their state, from these records.
 *
 * <p>Sub-policies have narrower types: {@link SharedPolicy} (the collector's shared types) for
 * {@code and}, {@code not} and {@code drop}, and {@link CompositeSubPolicy} (those and {@code and})
 * for {@code composite}. This file holds the compound types; the permits order is the order the
 * types are listed in messages.
 */
@TaggedUnion("type")
public sealed interface PolicyConfig
    permits PolicyConfig.CompositeSubPolicy,
        PolicyConfig.Not,
        PolicyConfig.Drop,
        PolicyConfig.Composite {
  /** The policy's name (unique among its siblings). */
  String name();

  /** The policy's type, e.g. {@code latency}. */
  default String type() {
    return ConfigBinder.variantName(getClass());
  }

  /** A policy {@code composite} may hold: the shared types and {@code and}. */
  sealed interface CompositeSubPolicy extends PolicyConfig permits SharedPolicy, And {}

  /**
   * {@code and}: every sub-policy samples (or inverted-samples); one that says not sampled ends the
   * evaluation.
   */
  record And(String name, And.Settings and) implements CompositeSubPolicy {
    public And {
      requireName(name);
      requireSettings(and, "and");
    }

    /** The sub-policies (at least one, unique names). */
    public record Settings(List<SharedPolicy> andSubPolicy) {
      public Settings {
        andSubPolicy = requireSubPolicies("and_sub_policy", andSubPolicy);
      }
    }
  }

  /**
   * {@code not}: the one sub-policy's sampled becomes not sampled and the reverse; its other
   * decisions pass through.
   */
  record Not(String name, Not.Settings not) implements PolicyConfig {
    public Not {
      requireName(name);
      requireSettings(not, "not");
    }

    /** The sub-policy. */
    public record Settings(SharedPolicy notSubPolicy) {
      public Settings {
        if (notSubPolicy == null) {
          throw new InvalidValueException("not_sub_policy", "is required");
        }
      }
    }
  }

  /** {@code drop}: every sub-policy samples, so the trace is dropped whatever the others say. */
  record Drop(String name, Drop.Settings drop) implements PolicyConfig {
    public Drop {
      requireName(name);
      requireSettings(drop, "drop");
    }

    /** The sub-policies (at least one, unique names). */
    public record Settings(List<SharedPolicy> dropSubPolicy) {
      public Settings {
        dropSubPolicy = requireSubPolicies("drop_sub_policy", dropSubPolicy);
      }
    }
  }

  /**
   * {@code composite}: the first sub-policy (in {@code policy_order}) that samples decides, within
   * its share of {@code max_total_spans_per_second}.
   */
  record Composite(String name, Composite.Settings composite) implements PolicyConfig {
    public Composite {
      requireName(name);
      requireSettings(composite, "composite");
    }

    /** One sub-policy's share: {@code percent} of the total (0 = an equal share). */
    public record RateAllocation(String policy, long percent) {
      public RateAllocation {
        requireText("policy", policy);
        if (percent < 0 || percent > 100) {
          throw new InvalidValueException("percent", "must be between 0 and 100, got " + percent);
        }
      }
    }

    /**
     * The total, the sub-policies, their order and their shares; every name in {@code policy_order}
     * and {@code rate_allocation} is a sub-policy's, at most once.
     */
    public record Settings(
        long maxTotalSpansPerSecond,
        List<String> policyOrder,
        List<CompositeSubPolicy> compositeSubPolicy,
        List<RateAllocation> rateAllocation) {
      public Settings {
        if (maxTotalSpansPerSecond <= 0) {
          throw new InvalidValueException(
              "max_total_spans_per_second", "must be positive, got " + maxTotalSpansPerSecond);
        }
        compositeSubPolicy = requireSubPolicies("composite_sub_policy", compositeSubPolicy);
        List<String> names = compositeSubPolicy.stream().map(PolicyConfig::name).toList();
        String valid = ": expected one of " + String.join(", ", names);
        policyOrder = copy("policy_order", policyOrder);
        Set<String> ordered = new HashSet<>();
        for (int i = 0; i < policyOrder.size(); i++) {
          String p = policyOrder.get(i);
          if (!names.contains(p)) {
            throw new InvalidValueException(
                "policy_order[" + i + "]",
                "\"" + p + "\" is not a composite_sub_policy name" + valid);
          }
          if (!ordered.add(p)) {
            throw new InvalidValueException(
                "policy_order[" + i + "]", "\"" + p + "\" is listed twice");
          }
        }
        rateAllocation = copy("rate_allocation", rateAllocation);
        Set<String> allocated = new HashSet<>();
        for (int i = 0; i < rateAllocation.size(); i++) {
          String p = rateAllocation.get(i).policy();
          String key = "rate_allocation[" + i + "].policy";
          if (!names.contains(p)) {
            throw new InvalidValueException(
                key, "\"" + p + "\" is not a composite_sub_policy name" + valid);
          }
          if (!allocated.add(p)) {
            throw new InvalidValueException(key, "\"" + p + "\" already has a rate allocation");
          }
        }
      }

      /**
       * The sub-policies' indexes in evaluation order: those {@code policy_order} lists, then the
       * others in definition order.
       */
      public int[] evaluationOrder() {
        List<String> names = compositeSubPolicy.stream().map(PolicyConfig::name).toList();
        List<Integer> order = new ArrayList<>();
        policyOrder.forEach(p -> order.add(names.indexOf(p)));
        for (int i = 0; i < names.size(); i++) {
          if (!order.contains(i)) {
            order.add(i);
          }
        }
        return order.stream().mapToInt(Integer::intValue).toArray();
      }

      /**
       * Spans per second per sub-policy (by index), as the collector's: {@code percent} of the
       * total, an equal share for {@code percent} 0, and 0 for a sub-policy without an allocation;
       * truncated to a whole number.
       */
      public long[] budgets() {
        List<String> names = compositeSubPolicy.stream().map(PolicyConfig::name).toList();
        long[] out = new long[names.size()];
        for (RateAllocation a : rateAllocation) {
          double sps =
              a.percent() > 0
                  ? a.percent() / 100.0 * maxTotalSpansPerSecond
                  : (double) maxTotalSpansPerSecond / names.size();
          out[names.indexOf(a.policy())] = (long) sps;
        }
        return out;
      }
    }
  }
}
