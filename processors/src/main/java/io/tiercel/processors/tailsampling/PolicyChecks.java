package io.tiercel.processors.tailsampling;

import io.tiercel.core.config.InvalidValueException;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** The checks policy records share, each naming the key at fault (relative to its record). */
final class PolicyChecks {
  private PolicyChecks() {}

  static void requireName(String name) {
    requireText("name", name);
  }

  static void requireSettings(Object settings, String type) {
    if (settings == null) {
      throw new InvalidValueException(
          type, "the " + type + " settings are required for a policy of type " + type);
    }
  }

  static void requireText(String key, String value) {
    if (value == null || value.isEmpty()) {
      throw new InvalidValueException(key, "is required");
    }
  }

  /** A copy of {@code list} (empty when null) in which no element is null. */
  static <T> List<T> copy(String key, List<T> list) {
    if (list == null) {
      return List.of();
    }
    for (int i = 0; i < list.size(); i++) {
      if (list.get(i) == null) {
        throw new InvalidValueException(key + "[" + i + "]", "is required");
      }
    }
    return List.copyOf(list);
  }

  /** A copy of {@code values}: at least one, none empty. */
  static List<String> requireValues(String key, List<String> values, String whenEmpty) {
    List<String> out = copy(key, values);
    if (out.isEmpty()) {
      throw new InvalidValueException(key, whenEmpty);
    }
    for (int i = 0; i < out.size(); i++) {
      requireText(key + "[" + i + "]", out.get(i));
    }
    return out;
  }

  static void requireBucket(String rateKey, long rate, long burstCapacity) {
    if (rate <= 0) {
      throw new InvalidValueException(rateKey, "must be positive, got " + rate);
    }
    if (burstCapacity < 0) {
      throw new InvalidValueException(
          "burst_capacity", "must not be negative, got " + burstCapacity);
    }
  }

  /** A copy of {@code subs}: at least one, with unique names. */
  static <P extends PolicyConfig> List<P> requireSubPolicies(String key, List<P> subs) {
    List<P> out = copy(key, subs);
    if (out.isEmpty()) {
      throw new InvalidValueException(key, "at least one sub-policy is required");
    }
    Set<String> names = new HashSet<>();
    for (int i = 0; i < out.size(); i++) {
      if (!names.add(out.get(i).name())) {
        throw new InvalidValueException(
            key + "[" + i + "].name", "duplicate sub-policy name \"" + out.get(i).name() + "\"");
      }
    }
    return out;
  }
}
