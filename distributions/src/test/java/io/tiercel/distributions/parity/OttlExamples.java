package io.tiercel.distributions.parity;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The OTTL function reference as corpus cases: {@code README.md.examples.tsv} holds, per function
 * of the collector's {@code pkg/ottl/ottlfuncs/README.md}, its first example (function name, a tab,
 * the example as written). Each becomes a {@code transform} processor config: an editor example is
 * the statement; a converter example is the value of {@code set(cache["parity"], ...)}. The signal
 * and context follow the paths the example uses ({@code span.}, {@code metric.}, {@code log.},
 * ...); an example with no path prefix runs in an explicit {@code log} context ({@code span} for
 * {@code IsRootSpan}).
 */
final class OttlExamples {
  private static final String SUFFIX = ".examples.tsv";
  private static final Pattern STRING = Pattern.compile("\"(?:\\\\.|[^\"\\\\])*\"");
  private static final Pattern PREFIX =
      Pattern.compile("(?<![A-Za-z0-9_.])(spanevent|span|datapoint|metric|log|resource|scope)\\.");
  private static final List<String> ORDER =
      List.of("spanevent", "span", "datapoint", "metric", "log", "resource", "scope");

  private OttlExamples() {}

  static boolean isExamples(String file) {
    return file.endsWith(SUFFIX);
  }

  /** The config text that follows {@code " transform:"} for the example of {@code function}. */
  static String body(String fileText, List<String> section) {
    if (section.size() != 1) {
      throw new IllegalArgumentException("an examples case names one function: " + section);
    }
    String function = section.get(0);
    String example = null;
    for (String line : fileText.split("\n")) {
      int tab = line.indexOf('\t');
      if (tab > 0 && line.substring(0, tab).equals(function)) {
        example = line.substring(tab + 1);
      }
    }
    if (example == null) {
      throw new IllegalArgumentException("no example of " + function + " in the file");
    }
    return transform(function, example);
  }

  static String transform(String function, String example) {
    String prefix = lowestContext(example);
    boolean prefixed = prefix != null;
    String context =
        prefixed
            ? (prefix.equals("resource") || prefix.equals("scope") ? "log" : prefix)
            : function.equals("IsRootSpan") ? "span" : "log";
    boolean editor = Character.isLowerCase(example.charAt(0));
    String statement =
        editor
            ? example
            : "set(" + (prefixed ? context + "." : "") + "cache[\"parity\"], " + example + ")";
    String signal =
        context.startsWith("span")
            ? "trace_statements"
            : context.equals("metric") || context.equals("datapoint")
                ? "metric_statements"
                : "log_statements";
    String quoted = "'" + statement.replace("'", "''") + "'";
    String pad = " ".repeat(6);
    if (prefixed) {
      return "\n" + pad + signal + ":\n" + pad + "  - " + quoted;
    }
    return "\n"
        + pad
        + signal
        + ":\n"
        + pad
        + "  - context: "
        + context
        + "\n"
        + pad
        + "    statements:\n"
        + pad
        + "      - "
        + quoted;
  }

  /** The most specific context whose prefix the example's paths use, or null for none. */
  private static String lowestContext(String example) {
    Matcher m = PREFIX.matcher(STRING.matcher(example).replaceAll("\"\""));
    String best = null;
    while (m.find()) {
      if (best == null || ORDER.indexOf(m.group(1)) < ORDER.indexOf(best)) {
        best = m.group(1);
      }
    }
    return best;
  }
}
