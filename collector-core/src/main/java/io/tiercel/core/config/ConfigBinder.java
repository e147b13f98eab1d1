package io.tiercel.core.config;

import io.tiercel.core.component.ComponentId;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.lang.reflect.WildcardType;
import java.math.BigInteger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.StringJoiner;
import org.jspecify.annotations.Nullable;

/**
 * Binds YAML trees (the maps, lists and scalars of {@link ConfigLoader#loadRaw}) to config records,
 * and renders records back to trees. Stateless and thread-safe.
 *
 * <p>Binding lays the YAML over a default instance: a key absent (or {@code null}) in the YAML
 * keeps the default's value; a nested record is laid over the default's nested record the same way
 * (a nested record whose default is null starts from zero values: null, 0, false; one marked {@link
 * OptionalSection} is also built so when its key is given with no value). YAML keys are the record
 * components' names in snake_case unless annotated {@link Key}. Supported component types: String,
 * boolean, int, long, double (and boxed), {@link Duration} (Go syntax, a bare integer is
 * nanoseconds), {@link Secret}, {@link ComponentId}, enums (matched to the constant name, its
 * {@link Key} or one of the key's aliases, ignoring case and taking {@code -} and {@code _} as the
 * same), types marked {@link ScalarValue} (read by their {@code parse(String)}), {@code List<T>},
 * {@code Map<String, T>}, nested records, sealed interfaces marked {@link TaggedUnion} (the map
 * names its record under the tag key), and raw {@code Map<String, Object>} / {@code Object}. A
 * component marked {@link Derived} is computed by the record's constructor, never read from YAML.
 *
 * <p>{@link Validatable#validate()} runs on every record the binder builds from YAML, and on the
 * top-level defaults when the YAML is null (a component given as {@code name:} with nothing must
 * still be complete).
 *
 * <p>Every problem is collected as a {@link ConfigError} at its dotted path ({@code a.b[2].c});
 * messages:
 *
 * <ul>
 *   <li>{@code unknown key "foo"; valid keys are: a, b, c} (at the enclosing record's path), or
 *       {@code unknown key "foo"; there are no settings here} for a record without components
 *   <li>{@code expected a map, got "text"} (also {@code a list}, {@code a string}, {@code a
 *       boolean}, {@code an int}, {@code a long}, {@code a number}, {@code a duration}, {@code a
 *       component id}); values are shown as {@code "text"}, {@code 12}, {@code a map}, {@code a
 *       list}, and never for {@link Secret} fields
 *   <li>{@code expected an int, got 3000000000 (out of range)}
 *   <li>{@code "5 seconds" is not a duration (use Go syntax such as 200ms, 5s, 1m30s)}
 *   <li>{@code "lz5" is not one of none, gzip, snappy, lz4, zstd} (also for a {@link TaggedUnion}'s
 *       tag, at {@code path.tag}, which is {@code is required} when absent, and {@code "group" is
 *       not allowed here (allowed: square, circle)} when it names a variant of the union that the
 *       component's narrower type excludes)
 *   <li>a compact constructor's or {@link Validatable#validate()}'s {@link InvalidValueException}
 *       at {@code path.key}; any other exception at the record's path; any {@link Secret} value of
 *       the record is replaced by {@code [REDACTED]} in the message
 * </ul>
 */
public final class ConfigBinder {
  /** Marks a value that failed to bind (its error is already recorded). */
  private static final Object FAILED = new Object();

  private ConfigBinder() {}

  /**
   * Binds {@code yaml} over {@code defaults}, appending every problem to {@code errors}.
   *
   * @param type the record class
   * @param defaults the default instance (may be null: zero values)
   * @param yaml a map, or null for "use the defaults"
   * @param path the YAML path of {@code yaml}, prefixed to every error ("" for the root)
   * @param errors where problems are appended
   * @return the bound record, {@code defaults} when {@code yaml} is null, or null when there were
   *     errors
   */
  public static <R extends Record> @Nullable R bind(
      Class<R> type,
      @Nullable R defaults,
      @Nullable Object yaml,
      String path,
      List<ConfigError> errors) {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(errors, "errors");
    Object v = value(type, defaults, yaml, path, errors);
    if (v != FAILED && yaml == null && v instanceof Record r && !validated(r, path, errors)) {
      return null; // the defaults, as the user left them, must pass validate() too
    }
    return v == FAILED ? null : type.cast(v);
  }

  /**
   * Binds {@code yaml} over {@code defaults}, for components that bind nested raw maps themselves.
   *
   * @throws ConfigException with every problem, each at {@code path}-prefixed paths
   */
  public static <R extends Record> @Nullable R bind(
      Class<R> type, @Nullable R defaults, @Nullable Object yaml, String path)
      throws ConfigException {
    List<ConfigError> errors = new ArrayList<>();
    R r = bind(type, defaults, yaml, path, errors);
    if (!errors.isEmpty()) {
      throw new ConfigException(errors);
    }
    return r;
  }

  /** The tree form of one config value (see {@link #toTree}). */

  /**
   * The YAML tree of a config record: keys as in YAML, durations in Go syntax, enums by their YAML
   * name, every {@link Secret} as {@code [REDACTED]}; insertion-ordered like the record's
   * components. An {@link OptionalSection} that is off (null) is left out.
   */
  public static Map<String, Object> toTree(Record config) {
    return ConfigTrees.toTree(config);
  }

  /** The tree form of one config value (see {@link #toTree}). */
  public static @Nullable Object toTreeValue(@Nullable Object v) {
    return ConfigTrees.toTreeValue(v);
  }

  /**
   * The name that selects a {@link TaggedUnion} variant: its simple name in snake_case ({@code
   * StringAttribute} is {@code string_attribute}).
   */
  public static String variantName(Class<?> variant) {
    return TaggedUnions.variantName(variant);
  }

  /** The YAML key of a record component: its {@link Key}, or its name in snake_case. */
  public static String yamlKey(RecordComponent c) {
    Key k = c.getAnnotation(Key.class);
    return k != null ? k.value() : snakeCase(c.getName());
  }

  /** {@code sendBatchSize} to {@code send_batch_size}, {@code tlsCAFile} to {@code tls_ca_file}. */
  static String snakeCase(String name) {
    StringBuilder sb = new StringBuilder(name.length() + 4);
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (Character.isUpperCase(c)) {
        boolean prevLowerOrDigit =
            i > 0
                && (Character.isLowerCase(name.charAt(i - 1))
                    || Character.isDigit(name.charAt(i - 1)));
        boolean acronymEnd =
            i > 0
                && Character.isUpperCase(name.charAt(i - 1))
                && i + 1 < name.length()
                && Character.isLowerCase(name.charAt(i + 1));
        if (prevLowerOrDigit || acronymEnd) {
          sb.append('_');
        }
        sb.append(Character.toLowerCase(c));
      } else {
        sb.append(c);
      }
    }
    return sb.toString();
  }

  /** The YAML spelling of an enum constant: its {@link Key}, or its name in lower case. */
  static String enumName(Enum<?> e) {
    try {
      Key k = e.getDeclaringClass().getField(e.name()).getAnnotation(Key.class);
      if (k != null) {
        return k.value();
      }
    } catch (NoSuchFieldException impossible) {
      // every constant is a public field
    }
    return e.name().toLowerCase(Locale.ROOT);
  }

  static String join(String path, String key) {
    return path.isEmpty() ? key : path + "." + key;
  }

  /** How a YAML value is shown in a message. */
  static String describe(Object y) {
    Object v = ExpandedValue.unwrap(y);
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

  /** The text of a scalar (strings, numbers, booleans), or null for a map or list. */
  static String scalarText(Object y) {
    if (y instanceof ExpandedValue e) {
      return e.text();
    }
    if (y instanceof String || y instanceof Number || y instanceof Boolean) {
      return y.toString();
    }
    return null;
  }

  static Object fail(List<ConfigError> errors, String path, String message) {
    errors.add(new ConfigError(path, message));
    return FAILED;
  }

  static Object expected(List<ConfigError> errors, String path, String what, Object y) {
    return fail(errors, path, "expected " + what + ", got " + describe(y));
  }

  private static Class<?> rawClass(Type t) {
    if (t instanceof Class<?> c) {
      return c;
    }
    if (t instanceof ParameterizedType p) {
      return (Class<?>) p.getRawType();
    }
    if (t instanceof WildcardType w) {
      return rawClass(w.getUpperBounds()[0]);
    }
    return Object.class;
  }

  private static Type typeArg(Type t, int i) {
    return t instanceof ParameterizedType p ? p.getActualTypeArguments()[i] : Object.class;
  }

  private static Object value(
      Type type, Object def, Object y, String path, List<ConfigError> errors) {
    if (y == null) {
      return def;
    }
    Class<?> raw = rawClass(type);
    if (raw == String.class) {
      String s = scalarText(y);
      return s != null ? s : expected(errors, path, "a string", y);
    }
    if (raw == Secret.class) {
      String s = scalarText(y);
      return s != null
          ? Secret.of(s)
          : fail(
              errors,
              path,
              "expected a string, got " + (y instanceof Map<?, ?> ? "a map" : "a list"));
    }
    Object v = ExpandedValue.unwrap(y);
    if (raw == boolean.class || raw == Boolean.class) {
      return v instanceof Boolean ? v : expected(errors, path, "a boolean", y);
    }
    if (raw == int.class || raw == Integer.class) {
      if (v instanceof Integer) {
        return v;
      }
      if (v instanceof Long || v instanceof BigInteger) {
        return fail(errors, path, "expected an int, got " + v + " (out of range)");
      }
      return expected(errors, path, "an int", y);
    }
    if (raw == long.class || raw == Long.class) {
      if (v instanceof Integer || v instanceof Long) {
        return ((Number) v).longValue();
      }
      if (v instanceof BigInteger) {
        return fail(errors, path, "expected a long, got " + v + " (out of range)");
      }
      return expected(errors, path, "a long", y);
    }
    if (raw == double.class || raw == Double.class) {
      return v instanceof Number n
          ? (Object) n.doubleValue()
          : expected(errors, path, "a number", y);
    }
    if (raw == Duration.class) {
      if (v instanceof Integer || v instanceof Long) {
        return Duration.ofNanos(((Number) v).longValue());
      }
      if (v instanceof String s) {
        try {
          return GoDuration.parse(s);
        } catch (IllegalArgumentException e) {
          return fail(
              errors,
              path,
              "\"" + s + "\" is not a duration (use Go syntax such as 200ms, 5s, 1m30s)");
        }
      }
      return expected(errors, path, "a duration", y);
    }
    if (raw.isEnum()) {
      return enumValue(raw, y, path, errors);
    }
    if (raw == ComponentId.class) {
      if (!(v instanceof String s)) {
        return expected(errors, path, "a component id", y);
      }
      try {
        return ComponentId.parse(s);
      } catch (IllegalArgumentException e) {
        return fail(errors, path, e.getMessage());
      }
    }
    if (raw.isAnnotationPresent(ScalarValue.class)) {
      return scalarValue(raw, y, path, errors);
    }
    if (raw.isRecord()) {
      if (!(v instanceof Map<?, ?> m)) {
        return expected(errors, path, "a map", y);
      }
      return record(raw, (Record) def, m, path, errors, null);
    }
    if (raw.isSealed() && TaggedUnions.unionKey(raw) != null) {
      return TaggedUnions.bind(raw, def, y, path, errors);
    }
    if (raw == List.class || raw == Collection.class) {
      if (!(v instanceof List<?> l)) {
        return expected(errors, path, "a list", y);
      }
      Type elem = typeArg(type, 0);
      List<Object> out = new ArrayList<>(l.size());
      boolean ok = true;
      for (int i = 0; i < l.size(); i++) {
        Object e = value(elem, null, l.get(i), path + "[" + i + "]", errors);
        ok &= e != FAILED;
        out.add(e);
      }
      return ok ? java.util.Collections.unmodifiableList(out) : FAILED;
    }
    if (raw == Map.class) {
      if (!(v instanceof Map<?, ?> m)) {
        return expected(errors, path, "a map", y);
      }
      Type val = typeArg(type, 1);
      Map<String, Object> out = new LinkedHashMap<>();
      boolean ok = true;
      for (Map.Entry<?, ?> e : m.entrySet()) {
        String k = String.valueOf(e.getKey());
        Object b = value(val, null, e.getValue(), join(path, k), errors);
        ok &= b != FAILED;
        out.put(k, b);
      }
      return ok ? java.util.Collections.unmodifiableMap(out) : FAILED;
    }
    if (raw == Object.class) {
      return plain(y);
    }
    return fail(
        errors,
        path,
        "unsupported config type " + type.getTypeName() + " (a bug in the component)");
  }

  /** A deep copy of a raw tree with every {@link ExpandedValue} replaced by its value. */
  static Object plain(Object y) {
    if (y instanceof ExpandedValue e) {
      return e.value();
    }
    if (y instanceof Map<?, ?> m) {
      Map<String, Object> out = new LinkedHashMap<>();
      m.forEach((k, v) -> out.put(String.valueOf(k), plain(v)));
      return out;
    }
    if (y instanceof List<?> l) {
      List<Object> out = new ArrayList<>(l.size());
      for (Object o : l) {
        out.add(plain(o));
      }
      return out;
    }
    return y;
  }

  private static Object enumValue(Class<?> raw, Object y, String path, List<ConfigError> errors) {
    String text = scalarText(y);
    String wanted = text == null ? null : spelling(text);
    StringJoiner valid = new StringJoiner(", ");
    List<String> aliases = new ArrayList<>();
    for (Object c : raw.getEnumConstants()) {
      Enum<?> e = (Enum<?>) c;
      String name = enumName(e);
      List<String> own = enumAliases(e);
      if (wanted != null
          && (wanted.equals(spelling(name))
              || wanted.equals(spelling(e.name()))
              || own.stream().anyMatch(a -> wanted.equals(spelling(a))))) {
        return e;
      }
      valid.add(name);
      aliases.addAll(own);
    }
    aliases.forEach(valid::add);
    return fail(errors, path, describe(y) + " is not one of " + valid);
  }

  private static Object scalarValue(Class<?> raw, Object y, String path, List<ConfigError> errors) {
    String text = scalarText(y);
    if (text == null) {
      return expected(errors, path, "a string", y);
    }
    try {
      return raw.getMethod("parse", String.class).invoke(null, text);
    } catch (InvocationTargetException e) {
      if (e.getCause() instanceof IllegalArgumentException bad) {
        return fail(errors, path, bad.getMessage());
      }
      throw new IllegalStateException("cannot read " + raw.getName() + " from " + text, e);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(raw.getName() + " has no public static parse(String)", e);
    }
  }

  /** An enum spelling as compared: lower case, {@code -} read as {@code _}. */
  private static String spelling(String s) {
    return s.toLowerCase(Locale.ROOT).replace('-', '_');
  }

  private static List<String> enumAliases(Enum<?> e) {
    try {
      Key k = e.getDeclaringClass().getField(e.name()).getAnnotation(Key.class);
      return k == null ? List.of() : List.of(k.aliases());
    } catch (NoSuchFieldException impossible) {
      return List.of(); // every constant is a public field
    }
  }

  static Object read(RecordComponent c, Object record) {
    try {
      Method m = c.getAccessor();
      m.setAccessible(true);
      return m.invoke(record);
    } catch (IllegalAccessException | InvocationTargetException e) {
      throw new IllegalStateException(
          "cannot read " + c.getName() + " of " + record.getClass().getName(), e);
    }
  }

  private static Object zero(Class<?> t) {
    if (!t.isPrimitive()) {
      return null;
    }
    if (t == boolean.class) {
      return false;
    }
    if (t == long.class) {
      return 0L;
    }
    if (t == double.class) {
      return 0.0d;
    }
    if (t == float.class) {
      return 0.0f;
    }
    if (t == char.class) {
      return '\0';
    }
    if (t == byte.class) {
      return (byte) 0;
    }
    if (t == short.class) {
      return (short) 0;
    }
    return 0;
  }

  /**
   * Binds a record; {@code tagKey} (or null) is the key of the {@link TaggedUnion} that chose it,
   * read already, so neither bound nor unknown.
   */
  static Object record(
      Class<?> cls,
      Record def,
      Map<?, ?> yaml,
      String path,
      List<ConfigError> errors,
      String tagKey) {
    RecordComponent[] comps = cls.getRecordComponents();
    Map<String, RecordComponent> byKey = new LinkedHashMap<>();
    List<String> valid = new ArrayList<>();
    if (tagKey != null) {
      valid.add(tagKey);
    }
    for (RecordComponent c : comps) {
      if (!c.isAnnotationPresent(Derived.class)) {
        byKey.put(yamlKey(c), c);
        valid.add(yamlKey(c));
      }
    }
    boolean ok = true;
    for (Object k : yaml.keySet()) {
      if (!byKey.containsKey(String.valueOf(k)) && !String.valueOf(k).equals(tagKey)) {
        fail(
            errors,
            path,
            "unknown key \""
                + k
                + "\"; "
                + (valid.isEmpty()
                    ? "there are no settings here"
                    : "valid keys are: " + String.join(", ", valid)));
        ok = false;
      }
    }
    Object[] args = new Object[comps.length];
    Class<?>[] types = new Class<?>[comps.length];
    for (int i = 0; i < comps.length; i++) {
      RecordComponent c = comps[i];
      types[i] = c.getType();
      if (c.isAnnotationPresent(Derived.class)) {
        args[i] = zero(c.getType()); // the constructor computes it
        continue;
      }
      String key = yamlKey(c);
      Object d = def != null ? read(c, def) : zero(c.getType());
      Object y = yaml.get(key);
      if (y == null
          && d == null
          && yaml.containsKey(key)
          && c.isAnnotationPresent(OptionalSection.class)) {
        y = Map.of(); // "grpc:" switches an optional section on
      }
      Object v =
          yaml.containsKey(key) ? value(c.getGenericType(), d, y, join(path, key), errors) : d;
      if (v == FAILED) {
        ok = false;
      } else if (v == null && c.getType().isPrimitive()) {
        v = zero(c.getType());
      }
      args[i] = v;
    }
    if (!ok) {
      return FAILED;
    }
    Record built;
    try {
      Constructor<?> ctor = cls.getDeclaredConstructor(types);
      ctor.setAccessible(true);
      built = (Record) ctor.newInstance(args);
    } catch (InvocationTargetException e) {
      return invalid(e.getCause(), args, path, errors);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("cannot construct config record " + cls.getName(), e);
    }
    return validated(built, path, errors) ? built : FAILED;
  }

  /** The records a sealed interface permits, by variant name, searching sealed sub-interfaces. */

  /** The interface that carries the {@link TaggedUnion} {@code type} belongs to. */

  /** Runs {@link Validatable#validate()} if {@code r} has it; false after recording its error. */
  private static boolean validated(Record r, String path, List<ConfigError> errors) {
    if (!(r instanceof Validatable v)) {
      return true;
    }
    try {
      v.validate();
      return true;
    } catch (RuntimeException e) {
      invalid(e, new Object[] {r}, path, errors);
      return false;
    }
  }

  /**
   * Records a constructor's or validate()'s exception: at path.key for {@link
   * InvalidValueException}.
   */
  private static Object invalid(
      Throwable cause, Object[] values, String path, List<ConfigError> errors) {
    List<String> secrets = new ArrayList<>();
    for (Object a : values) {
      SecretRedaction.collect(a, secrets, 0);
    }
    String msg =
        SecretRedaction.redact(
            cause.getMessage() != null ? cause.getMessage() : cause.getClass().getSimpleName(),
            secrets);
    if (cause instanceof InvalidValueException iv) {
      return fail(errors, join(path, iv.key()), msg);
    }
    return fail(errors, path, msg);
  }
}
