package io.tiercel.processors.transform.functions;

import static io.tiercel.processors.ottl.func.Param.optional;
import static io.tiercel.processors.ottl.func.Param.required;

import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.Span;
import io.tiercel.processors.ottl.context.OttlContext;
import io.tiercel.processors.ottl.eval.Values;
import io.tiercel.processors.ottl.func.FunctionRegistry;
import io.tiercel.processors.ottl.func.ParamKind;
import io.tiercel.processors.ottl.grammar.CompileError;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * set_semconv_span_name (span context): names a span from its HTTP, RPC, database or messaging
 * attributes as the semantic conventions do (1.37.0 to 1.43.0, with the older attribute names the
 * collector also reads), so high-cardinality names such as {@code GET /users/123} become {@code GET
 * /users/{id}}. A span whose attributes name nothing keeps its name.
 */
final class SemconvSpanName {
  private static final String NAME = "set_semconv_span_name";
  private static final int[] MIN = {1, 37, 0};
  private static final int[] MAX = {1, 43, 0};

  /** A semantic version: major, optional minor and patch, optional pre-release and build. */
  private static final Pattern SEMVER =
      Pattern.compile(
          "v?(0|[1-9]\\d*)(?:\\.(0|[1-9]\\d*))?(?:\\.(0|[1-9]\\d*))?"
              + "(-[0-9A-Za-z.-]+)?(\\+[0-9A-Za-z.-]+)?");

  private SemconvSpanName() {}

  static void register(FunctionRegistry.Builder b) {
    b.editorIn(
        OttlContext.SPAN,
        NAME,
        (a, cols, col) -> {
          String version = (String) a[0];
          checkVersion(version, cols[0]);
          String originalAttr = (String) a[1];
          if (originalAttr != null && originalAttr.isEmpty()) {
            throw MetricSupport.argError(
                cols[1], NAME, "original_span_name_attribute", "a non-empty string");
          }
          return c -> {
            Span.Builder span = c.spanForEdit(); // over a view, recorded as an edit
            String original = span.getName();
            String derived = derive(span);
            span.setName(derived);
            if (originalAttr != null && !original.equals(derived)) {
              put(span, originalAttr, original);
            }
            return null;
          };
        },
        required("semconv_version", ParamKind.STR_LIT),
        optional("original_span_name_attribute", ParamKind.STR_LIT));
  }

  private static void checkVersion(String version, int col) {
    Matcher m = SEMVER.matcher(version);
    if (!m.matches()) {
      throw new CompileError(
          col,
          "argument \"semconv_version\" of "
              + NAME
              + " must be a semantic version: failed to parse semconv version \""
              + version
              + "\": Invalid Semantic Version");
    }
    int[] v = {
      Integer.parseInt(m.group(1)),
      m.group(2) == null ? 0 : Integer.parseInt(m.group(2)),
      m.group(3) == null ? 0 : Integer.parseInt(m.group(3))
    };
    boolean pre = m.group(4) != null;
    // a pre-release sorts before its release
    int vsMin = compare(v, MIN);
    int vsMax = compare(v, MAX);
    if (vsMin < 0 || (vsMin == 0 && pre) || vsMax > 0) {
      throw new CompileError(
          col,
          "argument \"semconv_version\" of "
              + NAME
              + " must be between 1.37.0 and 1.43.0: unsupported semconv version \""
              + version
              + "\"");
    }
  }

  private static int compare(int[] a, int[] b) {
    for (int i = 0; i < 3; i++) {
      if (a[i] != b[i]) {
        return Integer.compare(a[i], b[i]);
      }
    }
    return 0;
  }

  private static String derive(Span.Builder span) {
    String name =
        switch (span.getKind()) {
          case SPAN_KIND_SERVER -> first(http(span, "http.route"), rpc(span), messaging(span));
          case SPAN_KIND_CONSUMER, SPAN_KIND_PRODUCER -> messaging(span);
          case SPAN_KIND_CLIENT ->
              first(http(span, "url.template"), rpc(span), db(span), messaging(span));
          default -> null;
        };
    return name == null ? span.getName() : name;
  }

  private static @Nullable String first(@Nullable String... names) {
    for (String n : names) {
      if (n != null) {
        return n;
      }
    }
    return null;
  }

  private static @Nullable String http(Span.Builder s, String subjectKey) {
    String method = attr(s, "http.request.method", "http.method");
    if (method == null) {
      return null;
    }
    String subject = attr(s, subjectKey, null);
    return subject == null ? method : method + " " + subject;
  }

  private static @Nullable String rpc(Span.Builder s) {
    String system = attr(s, "rpc.system.name", "rpc.system");
    if (system == null) {
      return null;
    }
    String method = attr(s, "rpc.method", "rpc.grpc.method");
    String service = attr(s, "rpc.service", "rpc.grpc.service");
    if (method != null && service != null) {
      return service + "/" + method;
    } else if (method != null) {
      return method;
    } else if (service != null) {
      return service + "/*";
    }
    return system;
  }

  private static @Nullable String db(Span.Builder s) {
    String system = attr(s, "db.system.name", "db.system");
    if (system == null) {
      return null;
    }
    String summary = attr(s, "db.query.summary", null);
    if (summary != null) {
      return summary;
    }
    String operation = attr(s, "db.operation.name", "db.operation");
    String op = operation == null ? "" : operation;
    String target = dbTarget(s);
    if (!op.isEmpty() && !target.isEmpty()) {
      return op + " " + target;
    } else if (!op.isEmpty()) {
      return op;
    } else if (!target.isEmpty()) {
      return target;
    }
    return system;
  }

  private static String dbTarget(Span.Builder s) {
    String ns = attr(s, "db.namespace", "db.name");
    String namespace = ns == null ? "" : ns;
    for (String key : new String[] {"db.collection.name", "db.stored_procedure.name"}) {
      String v = attr(s, key, null);
      if (v != null) {
        return namespace.isEmpty() ? v : namespace + "." + v;
      }
    }
    if (!namespace.isEmpty()) {
      return namespace;
    }
    String address = address(s);
    return address == null ? "" : address;
  }

  private static @Nullable String messaging(Span.Builder s) {
    String system = attr(s, "messaging.system", null);
    if (system == null) {
      return null;
    }
    String operation = attr(s, "messaging.operation.name", "messaging.operation");
    String destination = destination(s);
    if (operation != null && !destination.isEmpty()) {
      return operation + " " + destination;
    } else if (!destination.isEmpty()) {
      return destination;
    } else if (operation != null) {
      return operation;
    }
    return system;
  }

  private static String destination(Span.Builder s) {
    if (bool(s, "messaging.destination.temporary")) {
      return "(temporary)";
    }
    if (bool(s, "messaging.destination.anonymous")) {
      return "(anonymous)";
    }
    String template = attr(s, "messaging.destination.template", null);
    if (template != null) {
      return template;
    }
    String name = attr(s, "messaging.destination.name", "messaging.destination");
    if (name != null) {
      return name;
    }
    String address = address(s);
    return address == null ? "" : address;
  }

  private static @Nullable String address(Span.Builder s) {
    String address = attr(s, "server.address", null);
    if (address == null) {
      return null;
    }
    String port = attr(s, "server.port", null);
    return port == null ? address : address + ":" + port;
  }

  private static boolean bool(Span.Builder s, String key) {
    AnyValue v = find(s, key);
    return v != null && v.getValueCase() == AnyValue.ValueCase.BOOL_VALUE && v.getBoolValue();
  }

  /** The attribute {@code key}, else {@code alias}, as a string (pdata's AsString), or null. */
  private static @Nullable String attr(Span.Builder s, String key, @Nullable String alias) {
    AnyValue v = find(s, key);
    if (v == null && alias != null) {
      v = find(s, alias);
    }
    return v == null ? null : Values.asString(Values.fromAny(v));
  }

  private static @Nullable AnyValue find(Span.Builder s, String key) {
    for (KeyValue kv : s.getAttributesList()) {
      if (kv.getKey().equals(key)) {
        return kv.getValue();
      }
    }
    return null;
  }

  private static void put(Span.Builder s, String key, String value) {
    KeyValue kv =
        KeyValue.newBuilder()
            .setKey(key)
            .setValue(AnyValue.newBuilder().setStringValue(value))
            .build();
    for (int i = 0; i < s.getAttributesCount(); i++) {
      if (s.getAttributes(i).getKey().equals(key)) {
        s.setAttributes(i, kv);
        return;
      }
    }
    s.addAttributes(kv);
  }
}
