package io.tiercel.processors.ottl;

import io.tiercel.core.config.ConfigBinder;
import io.tiercel.core.config.ConfigError;
import io.tiercel.core.config.InvalidValueException;
import io.tiercel.core.pdata.Signal;
import io.tiercel.processors.ottl.context.OttlContext;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * One group entry of the transform processor's {@code trace_statements}, {@code metric_statements}
 * and {@code log_statements} or the filter processor's {@code trace_conditions}, {@code
 * metric_conditions} and {@code log_conditions}, in the collector's shape. The two processors bind
 * it with {@link #bind} and compile it in their config records.
 *
 * @param context the context the group runs in ({@code instrumentation_scope} and {@code
 *     log_record} are accepted spellings); null to infer it from the path prefixes
 * @param conditions guard conditions (transform: the statements run when any is true; filter: an
 *     item is dropped when any is true)
 * @param statements the statements (transform only)
 * @param errorMode overrides the processor's {@code error_mode} for this group; null to inherit it
 */
public record StatementGroup(
    @Nullable String context,
    List<String> conditions,
    List<String> statements,
    @Nullable ErrorMode errorMode) {
  private static final StatementGroup EMPTY = new StatementGroup(null, List.of(), List.of(), null);

  public StatementGroup {
    conditions = conditions == null ? List.of() : List.copyOf(conditions);
    statements = statements == null ? List.of() : List.copyOf(statements);
  }

  /**
   * Binds a group map with the config binder; a single string for {@code conditions} or {@code
   * statements} is a list of one.
   *
   * @param key the entry's YAML key (such as {@code trace_statements[2]}), prefixed to the error
   * @throws InvalidValueException at the first problem, keyed below {@code key}
   */
  public static StatementGroup bind(String key, Map<?, ?> yaml) {
    Map<String, Object> tree = new LinkedHashMap<>();
    yaml.forEach(
        (k, v) -> {
          String name = String.valueOf(k);
          boolean list = name.equals("conditions") || name.equals("statements");
          tree.put(name, list && v != null && !(v instanceof List<?>) ? List.of(v) : v);
        });
    List<ConfigError> errors = new ArrayList<>();
    StatementGroup group = ConfigBinder.bind(StatementGroup.class, EMPTY, tree, "", errors);
    if (!errors.isEmpty()) {
      ConfigError first = errors.get(0);
      String at = first.path();
      throw new InvalidValueException(
          at.isEmpty() ? key : key + (at.startsWith("[") ? "" : ".") + at, first.message());
    }
    return group;
  }

  /**
   * The group's context, or null when it is to be inferred.
   *
   * @param key the entry's YAML key, for the error
   * @throws InvalidValueException at {@code key.context} when it is not a context of {@code signal}
   */
  public @Nullable OttlContext context(Signal signal, String key) {
    return context(OttlContext.of(signal), key);
  }

  /**
   * The group's context, or null when it is to be inferred.
   *
   * @param valid the contexts the component accepts (see {@link Ottl#contexts})
   * @param key the entry's YAML key, for the error
   * @throws InvalidValueException at {@code key.context} when it is not one of {@code valid}
   */
  public @Nullable OttlContext context(List<OttlContext> valid, String key) {
    if (context == null) {
      return null;
    }
    OttlContext parsed = OttlContext.parse(context);
    if (parsed == null || !valid.contains(parsed)) {
      throw new InvalidValueException(
          key + ".context",
          "\""
              + context
              + "\" is not one of "
              + valid.stream().map(OttlContext::id).collect(Collectors.joining(", ")));
    }
    return parsed;
  }

  /** The group's error mode, or {@code inherited} when it has none. */
  public @Nullable ErrorMode errorMode(@Nullable ErrorMode inherited) {
    return errorMode == null ? inherited : errorMode;
  }
}
