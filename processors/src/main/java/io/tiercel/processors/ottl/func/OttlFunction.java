package io.tiercel.processors.ottl.func;

import io.tiercel.processors.ottl.context.OttlContext;
import java.util.List;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * An editor (lower-case name, changes the item) or converter (upper-case name, gives a value).
 *
 * @param onlyIn the one context the function exists in (the processors' own functions such as
 *     IsRootSpan), or null when it works in every context; using it infers that context
 */
public record OttlFunction(
    String name, List<Param> params, FunctionBuilder builder, @Nullable OttlContext onlyIn) {
  public OttlFunction {
    params = List.copyOf(params);
  }

  /** True for an editor, false for a converter. */
  public boolean editor() {
    return Character.isLowerCase(name.charAt(0));
  }

  /** The call shape for messages: {@code replace_pattern(target, regex, Optional[function])}. */
  public String signature() {
    return name
        + "("
        + params.stream()
            .map(p -> p.optional() ? "Optional[" + p.name() + "]" : p.name())
            .collect(Collectors.joining(", "))
        + ")";
  }
}
