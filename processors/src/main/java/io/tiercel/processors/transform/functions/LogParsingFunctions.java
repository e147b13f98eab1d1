package io.tiercel.processors.transform.functions;

import static io.tiercel.processors.ottl.func.Param.optional;
import static io.tiercel.processors.ottl.func.Param.required;

import io.tiercel.processors.ottl.context.OttlContext;
import io.tiercel.processors.ottl.eval.Getter;
import io.tiercel.processors.ottl.eval.OttlRuntimeException;
import io.tiercel.processors.ottl.eval.Values;
import io.tiercel.processors.ottl.func.FunctionRegistry;
import io.tiercel.processors.ottl.func.ParamKind;
import java.util.Map;
import java.util.function.Function;

/**
 * The log context's parsers of the transform processor: ParseCEF and ParseLEEF ({@link
 * SecurityLogFormats}), ParseCLF and ParseELF ({@link AccessLogFormats}). Each takes a string and
 * gives a map; an empty or malformed string is an error.
 */
final class LogParsingFunctions {
  private LogParsingFunctions() {}

  static void register(FunctionRegistry.Builder b) {
    parser(b, "ParseCEF", "CEF", SecurityLogFormats::cef);
    parser(b, "ParseLEEF", "LEEF", SecurityLogFormats::leef);
    parser(b, "ParseELF", "ELF", AccessLogFormats::elf);
    b.converterIn(
        OttlContext.LOG,
        "ParseCLF",
        (a, cols, col) -> {
          String format = a[1] == null ? "clf" : (String) a[1];
          if (!format.equals("clf") && !format.equals("combined")) {
            throw MetricSupport.argError(
                cols[1], "ParseCLF", "format", "\"clf\" or \"combined\", not \"" + format + "\"");
          }
          boolean combined = format.equals("combined");
          return parse((Getter) a[0], "ParseCLF", "CLF", s -> AccessLogFormats.clf(s, combined));
        },
        required("target", ParamKind.ANY),
        optional("format", ParamKind.STR_LIT));
  }

  private static void parser(
      FunctionRegistry.Builder b,
      String name,
      String format,
      Function<String, Map<String, Object>> parse) {
    b.converterIn(
        OttlContext.LOG,
        name,
        (a, cols, col) -> parse((Getter) a[0], name, format, parse),
        required("target", ParamKind.ANY));
  }

  private static Getter parse(
      Getter target, String name, String format, Function<String, Map<String, Object>> parse) {
    return c -> {
      Object v = target.get(c);
      if (!(v instanceof String s)) {
        throw new OttlRuntimeException(name + ": expected string but got " + Values.typeName(v));
      }
      if (s.isEmpty()) {
        throw new OttlRuntimeException("cannot parse empty " + format + " message");
      }
      return parse.apply(s);
    };
  }
}
