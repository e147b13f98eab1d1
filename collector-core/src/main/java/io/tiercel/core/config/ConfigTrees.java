package io.tiercel.core.config;

import io.tiercel.core.component.ComponentId;
import java.lang.reflect.RecordComponent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** Config records rendered back to YAML trees: the other half of {@link ConfigBinder}. */
final class ConfigTrees {
  private ConfigTrees() {}

  /**
   * The YAML tree of a config record: keys as in YAML, durations in Go syntax, enums by their YAML
   * name, every {@link Secret} as {@code [REDACTED]}; insertion-ordered like the record's
   * components. An {@link OptionalSection} that is off (null) is left out.
   */
  static Map<String, Object> toTree(Record config) {
    Map<String, Object> out = new LinkedHashMap<>();
    String tagKey = TaggedUnions.unionKey(config.getClass());
    if (tagKey != null) {
      out.put(tagKey, TaggedUnions.variantName(config.getClass()));
    }
    for (RecordComponent c : config.getClass().getRecordComponents()) {
      if (c.isAnnotationPresent(Derived.class)) {
        continue; // computed from the other keys
      }
      Object v = ConfigBinder.read(c, config);
      if (v == null && c.isAnnotationPresent(OptionalSection.class)) {
        continue; // an optional section that is off is absent: "key: null" would switch it on when
        // read back
      }
      out.put(ConfigBinder.yamlKey(c), toTreeValue(v));
    }
    return out;
  }

  static @Nullable Object toTreeValue(@Nullable Object v) {
    if (v == null || v instanceof String || v instanceof Number || v instanceof Boolean) {
      return v;
    }
    if (v instanceof ExpandedValue e) {
      return e.value();
    }
    if (v instanceof Secret) {
      return Secret.REDACTED;
    }
    if (v instanceof Duration d) {
      return GoDuration.format(d);
    }
    if (v instanceof Enum<?> e) {
      return ConfigBinder.enumName(e);
    }
    if (v instanceof ComponentId
        || v instanceof PipelineId
        || v.getClass().isAnnotationPresent(ScalarValue.class)) {
      return v.toString();
    }
    if (v instanceof Record r) {
      return toTree(r);
    }
    if (v instanceof Collection<?> c) {
      List<Object> out = new ArrayList<>(c.size());
      for (Object o : c) {
        out.add(toTreeValue(o));
      }
      return out;
    }
    if (v instanceof Map<?, ?> m) {
      Map<String, Object> out = new LinkedHashMap<>();
      m.forEach((k, x) -> out.put(String.valueOf(k), toTreeValue(x)));
      return out;
    }
    return v.toString();
  }
}
