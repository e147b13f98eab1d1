package io.tiercel.processors.ottl.eval;

import java.time.Duration;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/** OTTL's comparison and math operators over the value model of {@link Values}. */
public final class Operators {
  private Operators() {}

  /**
   * Compares as the collector does: nil equals only nil; ints and floats compare numerically;
   * strings, bytes, times and durations are ordered among themselves; bools compare with false
   * before true; any other pair of different types is false for every operator except {@code !=}.
   */
  public static boolean compare(@Nullable Object a, @Nullable Object b, CompareOp op) {
    a = Values.norm(a);
    b = Values.norm(b);
    if (a == null && b == null) {
      return op == CompareOp.EQ || op == CompareOp.LTE || op == CompareOp.GTE;
    }
    if (a == null) {
      return compare(b, null, op);
    }
    if (a instanceof Boolean x) {
      if (b instanceof Boolean y) {
        return ordered(Boolean.compare(x, y), op);
      }
      return op == CompareOp.NE;
    }
    if (a instanceof Long x) {
      if (b instanceof Long y) {
        return ordered(Long.compare(x, y), op);
      }
      if (b instanceof Double y) {
        return doubles(x.doubleValue(), y, op);
      }
      return op == CompareOp.NE;
    }
    if (a instanceof Double x) {
      if (b instanceof Long y) {
        return doubles(x, y.doubleValue(), op);
      }
      if (b instanceof Double y) {
        return doubles(x, y, op);
      }
      return op == CompareOp.NE;
    }
    if (a instanceof String x) {
      if (b instanceof String y) {
        return ordered(x.compareTo(y), op);
      }
      return op == CompareOp.NE;
    }
    if (a instanceof Bytes x) {
      if (b instanceof Bytes y) {
        return ordered(x.compareTo(y), op);
      }
      return op == CompareOp.NE;
    }
    if (a instanceof Duration x) {
      if (b instanceof Duration y) {
        return ordered(x.compareTo(y), op);
      }
      return op == CompareOp.NE;
    }
    if (a instanceof Instant x) {
      if (b instanceof Instant y) {
        return ordered(x.compareTo(y), op);
      }
      return op == CompareOp.NE;
    }
    return switch (op) {
      case EQ -> a.equals(b);
      case NE -> !a.equals(b);
      default -> false;
    };
  }

  private static boolean doubles(double x, double y, CompareOp op) {
    return switch (op) {
      case EQ -> x == y;
      case NE -> x != y;
      case LT -> x < y;
      case LTE -> x <= y;
      case GT -> x > y;
      case GTE -> x >= y;
    };
  }

  private static boolean ordered(int c, CompareOp op) {
    return switch (op) {
      case EQ -> c == 0;
      case NE -> c != 0;
      case LT -> c < 0;
      case LTE -> c <= 0;
      case GT -> c > 0;
      case GTE -> c >= 0;
    };
  }

  /**
   * {@code + - * /} on int64/float64 (mixed is float64), time and duration, as the collector does.
   */
  public static Object math(@Nullable Object x, char op, @Nullable Object y) {
    x = Values.norm(x);
    y = Values.norm(y);
    if (x instanceof Long a) {
      if (y instanceof Long b) {
        return switch (op) {
          case '+' -> a + b;
          case '-' -> a - b;
          case '*' -> a * b;
          default -> {
            if (b == 0) {
              throw new OttlRuntimeException("attempted to divide by 0");
            }
            yield a / b;
          }
        };
      }
      if (y instanceof Double b) {
        return dmath(a.doubleValue(), op, b);
      }
      throw new OttlRuntimeException(display(y) + " must be int64 or float64");
    }
    if (x instanceof Double a) {
      if (y instanceof Long b) {
        return dmath(a, op, b.doubleValue());
      }
      if (y instanceof Double b) {
        return dmath(a, op, b);
      }
      throw new OttlRuntimeException(display(y) + " must be int64 or float64");
    }
    if (x instanceof Instant t) {
      if (op == '+' && y instanceof Duration d) {
        return t.plus(d);
      }
      if (op == '-' && y instanceof Instant u) {
        return Duration.between(u, t);
      }
      if (op == '-' && y instanceof Duration d) {
        return t.minus(d);
      }
      throw new OttlRuntimeException(
          op == '+' || op == '-'
              ? "time must be combined with a duration (or a time subtracted); found "
                  + Values.typeName(y)
              : "only addition and subtraction supported for time and duration");
    }
    if (x instanceof Duration d) {
      if (op == '+' && y instanceof Duration e) {
        return d.plus(e);
      }
      if (op == '+' && y instanceof Instant t) {
        return t.plus(d);
      }
      if (op == '-' && y instanceof Duration e) {
        return d.minus(e);
      }
      throw new OttlRuntimeException(
          op == '+' || op == '-'
              ? "duration must be combined with a duration; found " + Values.typeName(y)
              : "only addition and subtraction supported for time and duration");
    }
    throw new OttlRuntimeException(display(x) + " must be int64, float64, time or duration");
  }

  private static double dmath(double a, char op, double b) {
    return switch (op) {
      case '+' -> a + b;
      case '-' -> a - b;
      case '*' -> a * b;
      default -> {
        if (b == 0) {
          throw new OttlRuntimeException("attempted to divide by 0");
        }
        yield a / b;
      }
    };
  }

  private static String display(@Nullable Object v) {
    return v == null ? "nil" : v instanceof String s ? "\"" + s + "\"" : Values.asString(v);
  }
}
