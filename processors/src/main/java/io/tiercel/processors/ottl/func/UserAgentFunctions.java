package io.tiercel.processors.ottl.func;

import static io.tiercel.processors.ottl.func.Args.str;
import static io.tiercel.processors.ottl.func.Param.required;

import io.tiercel.processors.ottl.eval.Getter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.StringJoiner;
import org.jspecify.annotations.Nullable;
import ua_parser.Client;
import ua_parser.Parser;

/**
 * UserAgent: the user agent and OS of a User-Agent string by uap-core's regexes (the ua-parser
 * project's Java parser, as the collector uses its Go one), as semantic-convention attributes.
 */
final class UserAgentFunctions {
  private UserAgentFunctions() {}

  /** The parser, built on first use: loading uap-core's regexes takes a moment. */
  private static final class Holder {
    static final Parser PARSER = new Parser();
  }

  static void register(FunctionRegistry.Builder registry) {
    registry.converter(
        "UserAgent",
        (a, cols, col) -> {
          Getter t = (Getter) a[0];
          return c -> userAgent(str(t.get(c), "UserAgent"));
        },
        required("value", ParamKind.ANY));
  }

  static Map<String, Object> userAgent(String s) {
    Client client = Holder.PARSER.parse(s);
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("user_agent.name", client.userAgent.family);
    out.put(
        "user_agent.version",
        version(client.userAgent.major, client.userAgent.minor, client.userAgent.patch));
    out.put("user_agent.original", s);
    if (client.os.family != null && !client.os.family.isEmpty()) {
      out.put("os.name", client.os.family);
    }
    String os = version(client.os.major, client.os.minor, client.os.patch, client.os.patchMinor);
    if (!os.isEmpty()) {
      out.put("os.version", os);
    }
    return out;
  }

  /** The non-empty leading version parts joined with dots. */
  private static String version(@Nullable String... parts) {
    StringJoiner j = new StringJoiner(".");
    for (String p : parts) {
      if (p == null || p.isEmpty()) {
        break;
      }
      j.add(p);
    }
    return j.toString();
  }
}
