package io.tiercel.processors.ottl.func;

import io.tiercel.core.featuregate.Gate;
import io.tiercel.core.featuregate.Stage;
import io.tiercel.processors.ottl.context.OttlContext;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * The editors and converters a compiler knows, by name. Immutable and thread-safe: built once with
 * a {@link Builder} and handed to the compiler, so two registries never share state. {@link
 * #standard()} holds the collector's functions that Tiercel implements.
 */
public final class FunctionRegistry {
  /**
   * The collector's gate for the functions that take lambda arguments: while it is off, a statement
   * that calls one of them fails to build.
   */
  public static final Gate LAMBDA_GATE =
      new Gate(
          "ottl.functions.enableLambda",
          Stage.ALPHA,
          "Lets OTTL functions take lambda arguments (All, Any, Filter, Find, MapEach, MapKeys,"
              + " Reduce, When); while it is off, a statement that calls one is rejected.",
          "https://github.com/open-telemetry/opentelemetry-collector-contrib/pull/48227");

  private final Map<String, OttlFunction> editors;
  private final Map<String, OttlFunction> converters;

  private FunctionRegistry(
      Map<String, OttlFunction> editors, Map<String, OttlFunction> converters) {
    this.editors = Collections.unmodifiableMap(new TreeMap<>(editors));
    this.converters = Collections.unmodifiableMap(new TreeMap<>(converters));
  }

  /** The standard OTTL functions (built on first use, then shared: it cannot change). */
  public static FunctionRegistry standard() {
    return Standard.REGISTRY;
  }

  /** An empty builder. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder holding this registry's functions, to build a registry with more. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.editors.putAll(editors);
    b.converters.putAll(converters);
    return b;
  }

  /** The editor called {@code name}, or null. */
  public @Nullable OttlFunction editor(String name) {
    return editors.get(name);
  }

  /** The converter called {@code name}, or null. */
  public @Nullable OttlFunction converter(String name) {
    return converters.get(name);
  }

  /** The editor or converter called {@code name} (by its case), or null. */
  public @Nullable OttlFunction function(String name) {
    return Character.isLowerCase(name.charAt(0)) ? editor(name) : converter(name);
  }

  /** Editor names, sorted; unmodifiable. */
  public Set<String> editorNames() {
    return editors.keySet();
  }

  /** Converter names, sorted; unmodifiable. */
  public Set<String> converterNames() {
    return converters.keySet();
  }

  /** Collects functions; not thread-safe. A name can be registered once. */
  public static final class Builder {
    private final Map<String, OttlFunction> editors = new TreeMap<>();
    private final Map<String, OttlFunction> converters = new TreeMap<>();

    private Builder() {}

    /** Adds a function: an editor when its name starts lower-case, else a converter. */
    public Builder add(OttlFunction f) {
      Map<String, OttlFunction> into = f.editor() ? editors : converters;
      if (into.putIfAbsent(f.name(), f) != null) {
        throw new IllegalArgumentException("OTTL function " + f.name() + " is registered twice");
      }
      return this;
    }

    /** Adds an editor that works in every context. */
    public Builder editor(String name, FunctionBuilder builder, Param... params) {
      return add(requireCase(true, new OttlFunction(name, List.of(params), builder, null)));
    }

    /** Adds a converter that works in every context. */
    public Builder converter(String name, FunctionBuilder builder, Param... params) {
      return add(requireCase(false, new OttlFunction(name, List.of(params), builder, null)));
    }

    /** Adds an editor that exists only in {@code context}. */
    public Builder editorIn(
        OttlContext context, String name, FunctionBuilder builder, Param... params) {
      return add(requireCase(true, new OttlFunction(name, List.of(params), builder, context)));
    }

    /** Adds a converter that exists only in {@code context}. */
    public Builder converterIn(
        OttlContext context, String name, FunctionBuilder builder, Param... params) {
      return add(requireCase(false, new OttlFunction(name, List.of(params), builder, context)));
    }

    private static OttlFunction requireCase(boolean editor, OttlFunction f) {
      if (f.editor() != editor) {
        throw new IllegalArgumentException(
            (editor ? "editor" : "converter")
                + " names start "
                + (editor ? "lower" : "upper")
                + "-case: "
                + f.name());
      }
      return f;
    }

    /** The registry of the functions added so far; the builder can go on without changing it. */
    public FunctionRegistry build() {
      return new FunctionRegistry(editors, converters);
    }
  }

  /** Holds the standard registry, built when first asked for. */
  private static final class Standard {
    static final FunctionRegistry REGISTRY = build();

    private static FunctionRegistry build() {
      Builder b = builder();
      MapEditors.register(b);
      ReplaceEditors.register(b);
      ValueEditors.register(b);
      MetricFunctions.register(b);
      SpanFunctions.register(b);
      StringFunctions.register(b);
      ValueFunctions.register(b);
      HashFunctions.register(b);
      TimeFunctions.register(b);
      ParsingFunctions.register(b);
      FormatFunctions.register(b);
      NetworkFunctions.register(b);
      XmlFunctions.register(b);
      UserAgentFunctions.register(b);
      CollectionFunctions.register(b);
      LambdaFunctions.register(b);
      return b.build();
    }
  }
}
