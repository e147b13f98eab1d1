package io.tiercel.processors;

import io.tiercel.core.config.Key;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.yaml.snakeyaml.Yaml;

/**
 * A stand-in for the core config binder in these tests (the real one lives in collector-core): lays a YAML map
 * over a default record using snake_case keys, for the types the processors' configs use (String, enums,
 * List, nested records, Object). Unknown keys fail.
 */
public final class YamlBinder {
  private YamlBinder() {}

  public static Map<String, Object> yaml(String text) {
    return new Yaml().load(text);
  }

  static String snake(String camel) {
    return camel.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toLowerCase(Locale.ROOT);
  }

  /** Binds {@code yaml} over {@code defaults}; constructor exceptions propagate unwrapped. */
  @SuppressWarnings("unchecked")
  public static <R extends Record> R bind(R defaults, Map<String, Object> yaml) {
    Class<R> type = (Class<R>) defaults.getClass();
    RecordComponent[] comps = type.getRecordComponents();
    Object[] args = new Object[comps.length];
    Class<?>[] types = new Class<?>[comps.length];
    List<String> known = new ArrayList<>();
    try {
      for (int i = 0; i < comps.length; i++) {
        RecordComponent rc = comps[i];
        Key k = rc.getAnnotation(Key.class);
        String key = k != null ? k.value() : snake(rc.getName());
        known.add(key);
        types[i] = rc.getType();
        Object def = rc.getAccessor().invoke(defaults);
        args[i] = yaml != null && yaml.containsKey(key) ? convert(rc.getGenericType(), def, yaml.get(key)) : def;
      }
      if (yaml != null) {
        for (String key : yaml.keySet()) {
          if (!known.contains(key)) {
            throw new IllegalArgumentException("unknown key " + key + " in " + type.getSimpleName());
          }
        }
      }
      Constructor<R> ctor = type.getDeclaredConstructor(types);
      return ctor.newInstance(args);
    } catch (InvocationTargetException e) {
      if (e.getCause() instanceof RuntimeException re) {
        throw re;
      }
      throw new IllegalStateException(e.getCause());
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(e);
    }
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static Object convert(Type t, Object def, Object v) throws ReflectiveOperationException {
    Class<?> raw = t instanceof ParameterizedType p ? (Class<?>) p.getRawType() : (Class<?>) t;
    if (v == null) {
      return null;
    }
    if (raw.isEnum()) {
      return Enum.valueOf((Class<Enum>) raw, String.valueOf(v).toUpperCase(Locale.ROOT));
    }
    if (raw.isRecord()) {
      return bind((Record) def, (Map<String, Object>) v);
    }
    return v;
  }
}
