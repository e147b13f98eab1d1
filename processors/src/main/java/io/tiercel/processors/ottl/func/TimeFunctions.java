package io.tiercel.processors.ottl.func;

import static io.tiercel.processors.ottl.func.Args.duration;
import static io.tiercel.processors.ottl.func.Args.lng;
import static io.tiercel.processors.ottl.func.Args.str;
import static io.tiercel.processors.ottl.func.Args.time;
import static io.tiercel.processors.ottl.func.Param.optional;
import static io.tiercel.processors.ottl.func.Param.required;

import io.tiercel.processors.ottl.eval.Getter;
import io.tiercel.processors.ottl.eval.OttlRuntimeException;
import io.tiercel.processors.ottl.eval.Values;
import io.tiercel.processors.ottl.grammar.CompileError;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.ToLongFunction;

/**
 * Times and durations: Now, Unix, Duration, the Unix* and time-part converters (Year ... Weekday),
 * the duration converters (Hours ... Nanoseconds), TruncateTime, Time and FormatTime.
 */
final class TimeFunctions {
  private TimeFunctions() {}

  static void register(FunctionRegistry.Builder registry) {
    registry.converter("Now", (a, cols, col) -> c -> c.clock().instant());
    registry.converter(
        "Unix",
        (a, cols, col) -> {
          Getter s = (Getter) a[0];
          Getter n = (Getter) a[1];
          return c ->
              Instant.ofEpochSecond(lng(s.get(c), "Unix"), n == null ? 0 : lng(n.get(c), "Unix"));
        },
        required("seconds", ParamKind.ANY),
        optional("nanoseconds", ParamKind.ANY));
    registry.converter(
        "Duration",
        (a, cols, col) -> {
          Getter t = (Getter) a[0];
          return c -> {
            String s = str(t.get(c), "Duration");
            Duration d = Values.parseGoDuration(s);
            if (d == null) {
              throw new OttlRuntimeException("Duration: invalid duration \"" + s + "\"");
            }
            return d;
          };
        },
        required("duration", ParamKind.ANY));
    registry.converter(
        "TruncateTime",
        (a, cols, col) -> {
          Getter t = (Getter) a[0];
          Getter d = (Getter) a[1];
          return c ->
              TimeFunctions.truncate(
                  time(t.get(c), "TruncateTime"), duration(d.get(c), "TruncateTime"));
        },
        required("time", ParamKind.ANY),
        required("duration", ParamKind.ANY));
    registry.converter(
        "Time",
        (a, cols, col) -> {
          Getter t = (Getter) a[0];
          java.time.format.DateTimeFormatter f = Strptime.formatter((String) a[1], cols[1]);
          if (a[3] != null) {
            java.util.Locale locale = java.util.Locale.forLanguageTag((String) a[3]);
            if (locale.getLanguage().isEmpty()) {
              throw new CompileError(cols[3], "invalid locale \"" + a[3] + "\"");
            }
            f = f.withLocale(locale);
          }
          java.time.ZoneId zone;
          try {
            zone =
                a[2] == null || ((String) a[2]).isEmpty()
                    ? java.time.ZoneOffset.UTC
                    : java.time.ZoneId.of((String) a[2]);
          } catch (java.time.DateTimeException e) {
            throw new CompileError(cols[2], "unknown time zone \"" + a[2] + "\"");
          }
          java.time.format.DateTimeFormatter parser = f;
          return c -> Strptime.parse(str(t.get(c), "Time"), parser, zone);
        },
        required("target", ParamKind.ANY),
        required("format", ParamKind.STR_LIT),
        optional("location", ParamKind.STR_LIT),
        optional("locale", ParamKind.STR_LIT));
    registry.converter(
        "FormatTime",
        (a, cols, col) -> {
          Getter t = (Getter) a[0];
          java.time.format.DateTimeFormatter f = Strptime.formatter((String) a[1], cols[1]);
          return c -> Strptime.format(time(t.get(c), "FormatTime"), f, java.time.ZoneOffset.UTC);
        },
        required("time", ParamKind.ANY),
        required("format", ParamKind.STR_LIT));
    registerTables(registry);
  }

  /** A time-part converter: its name and what it reads from the time in UTC. */
  private record TimePart(String name, ToLongFunction<ZonedDateTime> part) {}

  private static final List<TimePart> TIME_PARTS =
      List.of(
          new TimePart("Year", ZonedDateTime::getYear),
          new TimePart("Month", ZonedDateTime::getMonthValue),
          new TimePart("Day", ZonedDateTime::getDayOfMonth),
          new TimePart("Hour", ZonedDateTime::getHour),
          new TimePart("Minute", ZonedDateTime::getMinute),
          new TimePart("Second", ZonedDateTime::getSecond),
          new TimePart("Nanosecond", ZonedDateTime::getNano),
          // Go's time.Weekday: Sunday is 0
          new TimePart("Weekday", t -> t.getDayOfWeek().getValue() % 7));

  /**
   * A converter of one value to one result: its name, its parameter's name (as the collector spells
   * it, for named arguments) and the conversion.
   */
  private record Conversion<T>(
      String name,
      String param,
      BiFunction<Object, String, T> check,
      Function<T, Object> convert) {}

  private static final List<Conversion<?>> CONVERSIONS =
      List.of(
          new Conversion<>("UnixNano", "time", Args::time, Values::unixNanos),
          new Conversion<>("UnixMicro", "time", Args::time, t -> Values.unixNanos(t) / 1_000L),
          new Conversion<>("UnixMilli", "time", Args::time, Instant::toEpochMilli),
          new Conversion<>("UnixSeconds", "time", Args::time, Instant::getEpochSecond),
          new Conversion<>("Nanoseconds", "duration", Args::duration, Duration::toNanos),
          new Conversion<>("Milliseconds", "duration", Args::duration, Duration::toMillis),
          new Conversion<>("Seconds", "duration", Args::duration, d -> d.toNanos() / 1e9),
          new Conversion<>("Hours", "value", Args::duration, d -> d.toNanos() / 3.6e12),
          new Conversion<>("Minutes", "value", Args::duration, d -> d.toNanos() / 6e10),
          new Conversion<>("Microseconds", "value", Args::duration, d -> d.toNanos() / 1_000L));

  private static void registerTables(FunctionRegistry.Builder registry) {
    for (TimePart p : TIME_PARTS) {
      String name = p.name();
      ToLongFunction<ZonedDateTime> part = p.part();
      registry.converter(
          name,
          (a, cols, col) -> {
            Getter t = (Getter) a[0];
            return c -> part.applyAsLong(time(t.get(c), name).atZone(ZoneOffset.UTC));
          },
          required("value", ParamKind.ANY));
    }
    for (Conversion<?> conversion : CONVERSIONS) {
      register(registry, conversion);
    }
  }

  private static <T> void register(FunctionRegistry.Builder registry, Conversion<T> conversion) {
    String name = conversion.name();
    BiFunction<Object, String, T> check = conversion.check();
    Function<T, Object> convert = conversion.convert();
    registry.converter(
        name,
        (a, cols, col) -> {
          Getter t = (Getter) a[0];
          return c -> convert.apply(check.apply(t.get(c), name));
        },
        required(conversion.param(), ParamKind.ANY));
  }

  /** Seconds from Go's zero time (0001-01-01 UTC) to the Unix epoch. */
  private static final long GO_ZERO_TO_UNIX_SECONDS = 62_135_596_800L;

  static Instant truncate(Instant t, Duration d) {
    if (d.isNegative() || d.isZero()) {
      return t;
    }
    BigInteger since =
        BigInteger.valueOf(t.getEpochSecond() + GO_ZERO_TO_UNIX_SECONDS)
            .multiply(BigInteger.valueOf(1_000_000_000L))
            .add(BigInteger.valueOf(t.getNano()));
    BigInteger rem = since.mod(BigInteger.valueOf(d.toNanos()));
    return t.minusNanos(rem.longValueExact());
  }
}
