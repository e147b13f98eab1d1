package io.tiercel.processors.ottl;

import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.TracesData;
import io.tiercel.core.pdata.Signal;
import io.tiercel.processors.filter.Filters;
import io.tiercel.processors.ottl.func.FunctionRegistry;
import io.tiercel.processors.transform.TransformRunner;
import java.time.Clock;
import java.util.List;
import org.slf4j.LoggerFactory;

/**
 * A quick, non-asserting measurement of per-span cost (not a benchmark: run it by hand, read the
 * numbers). {@code java -cp <test classpath> io.tiercel.processors.ottl.OttlCostMain}
 */
public final class OttlCostMain {
  private static final Ottl OTTL = new Ottl(FunctionRegistry.standard());

  private OttlCostMain() {}

  public static void main(String[] args) {
    TracesData one = Fixtures.traces(null);
    Span s0 = one.getResourceSpans(0).getScopeSpans(0).getSpans(0);
    ScopeSpans.Builder ss = one.getResourceSpans(0).getScopeSpans(0).toBuilder().clearSpans();
    for (int i = 0; i < 500; i++) {
      ss.addSpans(s0.toBuilder().setName("GET /users/" + i));
    }
    TracesData batch =
        TracesData.newBuilder()
            .addResourceSpans(
                ResourceSpans.newBuilder()
                    .setResource(one.getResourceSpans(0).getResource())
                    .addScopeSpans(ss))
            .build();
    Errors errors = new Errors(LoggerFactory.getLogger(OttlCostMain.class), "cost");
    Filters filter =
        Filters.of(
            List.of(
                OTTL.condition(
                    "span.attributes[\"http.method\"] == \"POST\" and IsMatch(span.name, \"^GET"
                        + " /health\")",
                    null,
                    Signal.TRACES),
                OTTL.condition("span.kind == SPAN_KIND_INTERNAL", null, Signal.TRACES)),
            ErrorMode.IGNORE,
            errors,
            Clock.systemUTC());
    TransformRunner transform =
        new TransformRunner(
            List.of(
                OTTL.group(
                    List.of(
                        "set(span.attributes[\"http.method\"], \"GET\") where span.kind =="
                            + " SPAN_KIND_SERVER"),
                    List.of(),
                    null,
                    Signal.TRACES,
                    ErrorMode.IGNORE),
                OTTL.group(
                    List.of("replace_pattern(span.name, \"/users/\\\\d+\", \"/users/{id}\")"),
                    List.of(),
                    null,
                    Signal.TRACES,
                    ErrorMode.IGNORE),
                OTTL.group(
                    List.of("delete_key(span.attributes, \"http.url\")"),
                    List.of(),
                    null,
                    Signal.TRACES,
                    ErrorMode.IGNORE)),
            Clock.systemUTC(),
            errors);
    for (int round = 0; round < 6; round++) {
      long sink = 0;
      long t0 = System.nanoTime();
      int n = 2000;
      for (int i = 0; i < n; i++) {
        sink += filter.apply(batch).dropped();
      }
      long t1 = System.nanoTime();
      for (int i = 0; i < n / 4; i++) {
        sink += transform.apply(batch).getResourceSpansCount();
      }
      long t2 = System.nanoTime();
      System.out.printf(
          "filter (2 conditions, nothing dropped): %.0f ns/span; transform (3 statements): %.0f"
              + " ns/span (%d)%n",
          (t1 - t0) / (double) n / 500, (t2 - t1) / (double) (n / 4) / 500, sink);
    }
  }
}
