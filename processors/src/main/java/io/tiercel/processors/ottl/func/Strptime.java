package io.tiercel.processors.ottl.func;

import io.tiercel.processors.ottl.eval.OttlRuntimeException;
import io.tiercel.processors.ottl.grammar.CompileError;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;
import java.time.temporal.ChronoField;
import java.time.temporal.TemporalAccessor;
import java.util.Locale;

/** The collector's ctime-like time format ({@code %Y-%m-%d %H:%M:%S}) as a java.time formatter. */
final class Strptime {
  private Strptime() {}

  /** Builds a formatter; throws {@link CompileError} at {@code col} for an unknown directive. */
  static DateTimeFormatter formatter(String format, int col) {
    DateTimeFormatterBuilder b = new DateTimeFormatterBuilder().parseCaseInsensitive();
    StringBuilder literal = new StringBuilder();
    for (int i = 0; i < format.length(); i++) {
      char c = format.charAt(i);
      if (c != '%') {
        literal.append(c);
        continue;
      }
      if (i + 1 >= format.length()) {
        throw new CompileError(col, "invalid time format \"" + format + "\": trailing %");
      }
      char d = format.charAt(++i);
      String p =
          switch (d) {
            case 'Y' -> "yyyy";
            case 'y' -> "yy";
            case 'm' -> "MM";
            case 'q' -> "M";
            case 'b', 'h' -> "MMM";
            case 'B' -> "MMMM";
            case 'd' -> "dd";
            case 'g' -> "d";
            case 'e' -> "ppd";
            case 'a' -> "EEE";
            case 'A' -> "EEEE";
            case 'H' -> "HH";
            case 'I' -> "hh";
            case 'l' -> "h";
            case 'p', 'P' -> "a";
            case 'M' -> "mm";
            case 'S' -> "ss";
            case 'L' -> "SSS";
            case 'f' -> "SSSSSS";
            case 's' -> "SSSSSSSSS";
            case 'z' -> "xx";
            case 'Z' -> "zzz";
            case 'i' -> "x";
            case 'j' -> "xxx";
            case 'k' -> "xxxxx";
            case 'w' -> "xxxx";
            case 'D', 'x' -> "MM/dd/yy";
            case 'F' -> "yyyy-MM-dd";
            case 'T', 'X' -> "HH:mm:ss";
            case 'r' -> "hh:mm:ss a";
            case 'R' -> "HH:mm";
            case 'c' -> "EEE MMM dd HH:mm:ss yyyy";
            case 'n' -> "\n";
            case 't' -> "\t";
            case '%' -> "%";
            default ->
                throw new CompileError(
                    col, "invalid time format \"" + format + "\": unknown directive %" + d);
          };
      if (d == 'n' || d == 't' || d == '%') {
        literal.append(p);
        continue;
      }
      if (literal.length() > 0) {
        b.appendLiteral(literal.toString());
        literal.setLength(0);
      }
      b.appendPattern(p);
    }
    if (literal.length() > 0) {
      b.appendLiteral(literal.toString());
    }
    return b.toFormatter(Locale.ENGLISH).withResolverStyle(ResolverStyle.SMART);
  }

  /**
   * Parses {@code text}; a time without a zone is in {@code zone}; missing date or time fields are
   * zero.
   */
  static Instant parse(String text, DateTimeFormatter f, ZoneId zone) {
    TemporalAccessor t;
    try {
      t = f.parse(text);
    } catch (DateTimeParseException e) {
      throw new OttlRuntimeException("Time: cannot parse \"" + text + "\": " + e.getMessage());
    }
    LocalDate date =
        t.isSupported(ChronoField.EPOCH_DAY)
            ? LocalDate.from(t)
            : LocalDate.of(
                t.isSupported(ChronoField.YEAR) ? t.get(ChronoField.YEAR) : 0,
                t.isSupported(ChronoField.MONTH_OF_YEAR) ? t.get(ChronoField.MONTH_OF_YEAR) : 1,
                t.isSupported(ChronoField.DAY_OF_MONTH) ? t.get(ChronoField.DAY_OF_MONTH) : 1);
    LocalTime time =
        t.isSupported(ChronoField.NANO_OF_DAY) ? LocalTime.from(t) : LocalTime.MIDNIGHT;
    ZoneId z = t.query(java.time.temporal.TemporalQueries.zone());
    return ZonedDateTime.of(LocalDateTime.of(date, time), z != null ? z : zone).toInstant();
  }

  static String format(Instant t, DateTimeFormatter f, ZoneId zone) {
    return f.format(t.atZone(zone));
  }
}
