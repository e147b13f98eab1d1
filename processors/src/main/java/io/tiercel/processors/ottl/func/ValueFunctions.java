package io.tiercel.processors.ottl.func;

import static io.tiercel.processors.ottl.func.Param.required;

import io.tiercel.processors.ottl.eval.Bytes;
import io.tiercel.processors.ottl.eval.Getter;
import io.tiercel.processors.ottl.eval.ListLiteral;
import io.tiercel.processors.ottl.eval.OttlRuntimeException;
import io.tiercel.processors.ottl.eval.Values;
import io.tiercel.processors.ottl.grammar.CompileError;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The converters that check, convert or measure a value: Int, Double, Bool, String, the Is* type
 * checks, IsEmpty, Coalesce, Len, Hex and Log.
 */
final class ValueFunctions {
  private ValueFunctions() {}

  static void register(FunctionRegistry.Builder registry) {
    registry.converter(
        "Int",
        (a, cols, col) -> {
          Getter t = (Getter) a[0];
          return c -> {
            Object v = Values.norm(t.get(c));
            if (v instanceof Long) {
              return v;
            } else if (v instanceof Double d) {
              return (long) (double) d;
            } else if (v instanceof Boolean b) {
              return b ? 1L : 0L;
            } else if (v instanceof String s) {
              try {
                return Long.parseLong(s.startsWith("+") ? s.substring(1) : s);
              } catch (NumberFormatException e) {
                return null;
              }
            }
            return null;
          };
        },
        required("value", ParamKind.ANY));
    registry.converter(
        "Double",
        (a, cols, col) -> {
          Getter t = (Getter) a[0];
          return c -> {
            Object v = Values.norm(t.get(c));
            if (v instanceof Double) {
              return v;
            } else if (v instanceof Long l) {
              return (double) l;
            } else if (v instanceof Boolean b) {
              return b ? 1.0 : 0.0;
            } else if (v instanceof String s) {
              try {
                return Double.parseDouble(s.strip().equals(s) ? s : "x");
              } catch (NumberFormatException e) {
                return null;
              }
            }
            return null;
          };
        },
        required("value", ParamKind.ANY));
    registry.converter(
        "String",
        (a, cols, col) -> {
          Getter t = (Getter) a[0];
          return c -> {
            Object v = Values.norm(t.get(c));
            if (v == null) {
              return null;
            }
            if (v instanceof Bytes b) {
              return b.hex();
            }
            return Values.asString(v);
          };
        },
        required("value", ParamKind.ANY));
    registry.converter(
        "Bool",
        (a, cols, col) -> {
          Getter t = (Getter) a[0];
          return c -> ValueFunctions.toBool(Values.norm(t.get(c)));
        },
        required("value", ParamKind.ANY));
    registry.converter(
        "IsEmpty",
        (a, cols, col) -> {
          Getter t = (Getter) a[0];
          return c -> ValueFunctions.isEmpty(Values.norm(t.get(c)));
        },
        required("value", ParamKind.ANY));
    registry.converter(
        "Coalesce",
        (a, cols, col) -> {
          Getter vals = (Getter) a[0];
          if (vals instanceof ListLiteral l && l.size() == 0) {
            throw new CompileError(cols[0], "Coalesce requires at least one argument");
          }
          return c -> {
            for (Object v : (List<?>) vals.get(c)) {
              if (v != null) {
                return v;
              }
            }
            return null;
          };
        },
        required("values", ParamKind.LIST));
    registry.converter(
        "IsString",
        (a, cols, col) -> {
          Getter t = (Getter) a[0];
          return c -> t.get(c) instanceof String;
        },
        required("value", ParamKind.ANY));
    registry.converter(
        "IsInt",
        (a, cols, col) -> {
          Getter t = (Getter) a[0];
          return c -> Values.norm(t.get(c)) instanceof Long;
        },
        required("value", ParamKind.ANY));
    registry.converter(
        "IsDouble",
        (a, cols, col) -> {
          Getter t = (Getter) a[0];
          return c -> Values.norm(t.get(c)) instanceof Double;
        },
        required("value", ParamKind.ANY));
    registry.converter(
        "IsBool",
        (a, cols, col) -> {
          Getter t = (Getter) a[0];
          return c -> t.get(c) instanceof Boolean;
        },
        required("value", ParamKind.ANY));
    registry.converter(
        "IsMap",
        (a, cols, col) -> {
          Getter t = (Getter) a[0];
          return c -> t.get(c) instanceof Map;
        },
        required("value", ParamKind.ANY));
    registry.converter(
        "IsList",
        (a, cols, col) -> {
          Getter t = (Getter) a[0];
          return c -> t.get(c) instanceof List;
        },
        required("value", ParamKind.ANY));
    registry.converter(
        "Len",
        (a, cols, col) -> {
          Getter t = (Getter) a[0];
          return c -> {
            Object v = t.get(c);
            if (v instanceof String s) {
              return (long) s.getBytes(StandardCharsets.UTF_8).length;
            } else if (v instanceof List<?> l) {
              return (long) l.size();
            } else if (v instanceof Map<?, ?> m) {
              return (long) m.size();
            }
            throw new OttlRuntimeException(
                "Len: unsupported type "
                    + Values.typeName(v)
                    + ", expected a string, slice or map");
          };
        },
        required("target", ParamKind.ANY));
    registry.converter(
        "Hex",
        (a, cols, col) -> {
          Getter t = (Getter) a[0];
          return c -> {
            Object v = Values.norm(t.get(c));
            if (v instanceof Bytes b) {
              return b.hex();
            } else if (v instanceof String s) {
              return Bytes.wrap(s.getBytes(StandardCharsets.UTF_8)).hex();
            } else if (v instanceof Long l) {
              return String.format("%016x", l);
            } else if (v instanceof Double d) {
              return String.format("%016x", Double.doubleToRawLongBits(d));
            } else if (v instanceof Boolean b) {
              return b ? "01" : "00";
            }
            return null;
          };
        },
        required("value", ParamKind.ANY));
    registry.converter(
        "Log",
        (a, cols, col) -> {
          Getter t = (Getter) a[0];
          return c -> {
            Object v = Values.norm(t.get(c));
            double d;
            if (v instanceof Double x) {
              d = x;
            } else if (v instanceof Long x) {
              d = x;
            } else if (v instanceof Boolean x) {
              d = x ? 1 : 0;
            } else if (v instanceof String x) {
              try {
                d = Double.parseDouble(x);
              } catch (NumberFormatException e) {
                throw new OttlRuntimeException("Log: invalid value \"" + x + "\"");
              }
            } else {
              throw new OttlRuntimeException("Log: unsupported type " + Values.typeName(v));
            }
            if (d <= 0) {
              throw new OttlRuntimeException(
                  "Log: value must be greater than zero, got " + Values.formatDouble(d));
            }
            return Math.log(d);
          };
        },
        required("value", ParamKind.ANY));
  }

  /** Go's strconv.ParseBool forms for strings; numbers are true when non-zero; else nil. */
  static @Nullable Boolean toBool(@Nullable Object v) {
    if (v instanceof Boolean b) {
      return b;
    } else if (v instanceof Long l) {
      return l != 0;
    } else if (v instanceof Double d) {
      return d != 0;
    } else if (v instanceof String s) {
      return switch (s) {
        case "1", "t", "T", "true", "TRUE", "True" -> true;
        case "0", "f", "F", "false", "FALSE", "False" -> false;
        default -> null;
      };
    }
    return null;
  }

  /** Nil, an empty map, slice or byte string, or a type's zero value. */
  static boolean isEmpty(@Nullable Object v) {
    if (v == null) {
      return true;
    } else if (v instanceof String s) {
      return s.isEmpty();
    } else if (v instanceof Long l) {
      return l == 0;
    } else if (v instanceof Double d) {
      return d == 0;
    } else if (v instanceof Boolean b) {
      return !b;
    } else if (v instanceof Bytes b) {
      return b.length() == 0;
    } else if (v instanceof Map<?, ?> m) {
      return m.isEmpty();
    } else if (v instanceof List<?> l) {
      return l.isEmpty();
    } else if (v instanceof Duration d) {
      return d.isZero();
    }
    return false;
  }
}
